// «Ny bestilling»: choosing a contract fills in its customer reference, unless the user
// has typed their own.
document.addEventListener("DOMContentLoaded", () => {
  const contract = document.querySelector("select[name=contract][data-references]");
  const reference = document.querySelector("input[name=customer_reference]");
  if (!contract || !reference) return;
  const references = JSON.parse(contract.dataset.references);
  let filled = reference.value;
  contract.addEventListener("change", () => {
    if (reference.value === "" || reference.value === filled) {
      filled = references[contract.value] || "";
      reference.value = filled;
    }
  });
});
