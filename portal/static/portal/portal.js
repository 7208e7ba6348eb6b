/* Django's autocomplete boxes (its vendored Select2, in the search panels and in the action
   dialogs) have no name of their own: the combobox is named by the element that shows the
   chosen value (empty while nothing is chosen), and that element has role="textbox" and no
   name at all (axe-core: aria-input-field-name). Both are named by the label of the <select>
   they stand for, also in rows and dialogs added after the page loaded.
   While a box is open, Select2 4.0.13 points its combobox at the list with aria-owns only,
   where ARIA 1.2 asks for aria-controls (axe-core: aria-required-attr), and its search field
   has no name (axe-core: label): the combobox gets aria-controls as long as it is open, the
   search field the name of the box. Opening and closing attach and detach the dropdown, which
   the observer sees. */
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

    function nameOpenBox() {
        document.querySelectorAll('.select2-selection[role="combobox"]').forEach(function (combobox) {
            var list = combobox.getAttribute("aria-owns");
            if (list) {
                combobox.setAttribute("aria-controls", list);
            } else {
                combobox.removeAttribute("aria-controls");
            }
        });
        document.querySelectorAll(".select2-search__field[aria-controls]").forEach(function (field) {
            var id = field.getAttribute("aria-controls").replace(/^select2-/, "").replace(/-results$/, "");
            var select = id && document.getElementById(id);
            if (!select) {
                return;
            }
            var label = select.labels && select.labels[0];
            if (label && label.id) {
                field.setAttribute("aria-labelledby", label.id);
            } else {
                field.setAttribute("aria-label", select.getAttribute("aria-label") || select.name);
            }
        });
    }

    new MutationObserver(function () {
        nameBoxes();
        nameOpenBox();
    }).observe(document.documentElement, {
        childList: true,
        subtree: true,
    });
    document.addEventListener("DOMContentLoaded", nameBoxes);
})();

/* A page's actions beside the breadcrumb show their icons only on middling screens
   (portal.css): their words become the tooltip. */
(function () {
    "use strict";
    function titleActions() {
        document.querySelectorAll(".portal-userlinks ul > li > a:not([title])").forEach(function (link) {
            var words = Array.prototype.filter
                .call(link.childNodes, function (node) {
                    return node.nodeType === Node.TEXT_NODE;
                })
                .map(function (node) {
                    return node.textContent;
                })
                .join(" ")
                .replace(/\s+/g, " ")
                .trim();
            if (words) {
                link.setAttribute("title", words);
            }
        });
    }
    document.addEventListener("DOMContentLoaded", titleActions);
})();

/* A row's labels on a phone, as the headings read: a capital first letter only (portal.css
   turns off Unfold's capital on every word). The labels are the column names, some of them
   Django's lower-case field names. */
(function () {
    "use strict";
    function capitaliseLabels() {
        document.querySelectorAll("td[data-label], th[data-label]").forEach(function (cell) {
            var label = cell.getAttribute("data-label");
            var first = label.charAt(0);
            if (first && first !== first.toLocaleUpperCase("nb")) {
                cell.setAttribute("data-label", first.toLocaleUpperCase("nb") + label.slice(1));
            }
        });
    }
    document.addEventListener("DOMContentLoaded", capitaliseLabels);
})();
