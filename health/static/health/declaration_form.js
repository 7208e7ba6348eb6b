// The employee's health declaration form: a follow-up question shows only when the question
// it follows up has the answer it is asked on, and the draft is kept as the employee goes
// (a POST of the whole form as a draft, a moment after each change). Without this script the
// form works all the same: every follow-up shows with its «Hvis ja:», and «Lagre utkast» keeps
// the draft.
(function () {
  "use strict";
  var form = document.querySelector("[data-declaration-form]");
  if (!form) {
    return;
  }
  var status = form.querySelector("[data-declaration-status]");
  var timer = null;

  function answersOf(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) {
        return;
      }
      values.push(input.value);
    });
    return values;
  }

  function showFollowUps() {
    form.querySelectorAll("[data-parent]").forEach(function (fieldset) {
      var asked = answersOf(fieldset.dataset.parent).indexOf(fieldset.dataset.shownOn) !== -1;
      fieldset.hidden = !asked;
    });
  }

  function saveDraft() {
    var data = new FormData(form);
    data.set("action", "draft");
    fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Declaration-Autosave": "1" },
    })
      .then(function (response) {
        if (response.ok) {
          var now = new Date();
          var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
          status.textContent = form.dataset.saved + " " + time;
        } else {
          status.textContent = form.dataset.notSaved;
        }
      })
      .catch(function () {
        status.textContent = form.dataset.notSaved;
      });
  }

  form.addEventListener("change", function () {
    showFollowUps();
    window.clearTimeout(timer);
    timer = window.setTimeout(saveDraft, 800);
  });
  showFollowUps();
})();
