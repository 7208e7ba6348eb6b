/* Django's autocomplete boxes (its vendored Select2) show the chosen value in an element with
   role="textbox" and no name, so a screen reader announced an unnamed text box (axe-core:
   aria-input-field-name). Each is named by the label of the <select> it stands for, also in
   rows and dialogs added after the page loaded. */
(function () {
    "use strict";
    var UNNAMED = '.select2-selection__rendered[role="textbox"]:not([aria-labelledby]):not([aria-label])';

    function nameBoxes() {
        document.querySelectorAll(UNNAMED).forEach(function (box) {
            var id = (box.id || "").replace(/^select2-/, "").replace(/-container$/, "");
            var select = id && document.getElementById(id);
            if (!select) {
                return;
            }
            var label = select.labels && select.labels[0];
            if (label) {
                if (!label.id) {
                    label.id = id + "-label";
                }
                box.setAttribute("aria-labelledby", label.id);
            } else {
                box.setAttribute("aria-label", select.getAttribute("aria-label") || select.name);
            }
        });
    }

    var pending = false;
    new MutationObserver(function () {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                nameBoxes();
            });
        }
    }).observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", nameBoxes);
})();
