/* Django's autocomplete boxes (its vendored Select2, in the search panels and in the action
   dialogs) have no name of their own: the combobox is named by the element that shows the
   chosen value (empty while nothing is chosen), and that element has role="textbox" and no
   name at all (axe-core: aria-input-field-name). Both are named by the label of the <select>
   they stand for, also in rows and dialogs added after the page loaded. */
(function () {
    "use strict";
    var UNNAMED = '.select2-selection__rendered[role="textbox"]:not([data-portal-named])';

    function nameBoxes() {
        document.querySelectorAll(UNNAMED).forEach(function (box) {
            var id = (box.id || "").replace(/^select2-/, "").replace(/-container$/, "");
            var select = id && document.getElementById(id);
            if (!select) {
                return;
            }
            var combobox = box.closest('[role="combobox"]');
            var label = select.labels && select.labels[0];
            if (label) {
                if (!label.id) {
                    label.id = id + "-label";
                }
                box.setAttribute("aria-labelledby", label.id);
                if (combobox) {
                    combobox.setAttribute("aria-labelledby", label.id + " " + box.id);
                }
            } else {
                var name = select.getAttribute("aria-label") || select.name;
                box.setAttribute("aria-label", name);
                if (combobox) {
                    combobox.setAttribute("aria-label", name);
                }
            }
            box.setAttribute("data-portal-named", "");
        });
    }

    new MutationObserver(nameBoxes).observe(document.documentElement, {
        childList: true,
        subtree: true,
    });
    document.addEventListener("DOMContentLoaded", nameBoxes);
})();
