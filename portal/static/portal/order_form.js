// «Ny bestilling»: choosing a contract fills in its customer reference, unless the user
// has typed their own.
document.addEventListener("DOMContentLoaded", () => {
  const contract = document.querySelector("select[name=contract]");
  const reference = document.querySelector("input[name=customer_reference]");
  if (!contract || !reference) return;
  let filled = reference.value;
  const fill = (value) => {
    if (reference.value === "" || reference.value === filled) {
      filled = value || "";
      reference.value = filled;
    }
  };
  if (contract.dataset.references) {
    // A customer's own contracts: their references come with the page.
    const references = JSON.parse(contract.dataset.references);
    contract.addEventListener("change", () => fill(references[contract.value]));
  } else if (contract.dataset.referenceFromChoice && window.django && django.jQuery) {
    // Staff type the contract (the admin's autocomplete): the choice brings its reference.
    django.jQuery(contract)
      .on("select2:select", (event) => fill(event.params.data.reference))
      .on("select2:clear", () => fill(""));
  }
});
