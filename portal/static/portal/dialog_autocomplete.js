// Unfold's action dialogs arrive through htmx after the page has loaded (and again when a
// dialog's form comes back with an error): start their typed selects, the admin's select2 as
// in the search panels, as they arrive.
document.addEventListener("htmx:load", (event) => {
  const $ = window.django && django.jQuery;
  if (!$ || !$.fn.djangoFilterSelect2) return;
  $(event.detail.elt)
    .find(".unfold-filter-autocomplete")
    .not(".select2-hidden-accessible")
    .djangoFilterSelect2();
});
