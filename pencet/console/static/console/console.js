// Behaviour of every console page, kept out of the HTML so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  // Browsers apply autofocus lazily (after the first paint); officers press Enter at once, so focus it now.
  // The application page marks its button data-autofocus instead: native autofocus scrolls the page to it, and
  // there the documents come first (on a phone the accept button sits below them; "return" is far down).
  document.addEventListener("DOMContentLoaded", function () {
    const target = document.querySelector("[autofocus], [data-autofocus]");
    if (target && document.activeElement === document.body) target.focus({ preventScroll: true });
  });

  // A link to a collapsed section (#transkrip after sending a message) opens it.
  function openTarget() {
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  document.addEventListener("DOMContentLoaded", openTarget);
  window.addEventListener("hashchange", openTarget);

  // <div data-shown-when="collector=representative">: shown only while that field of its form has that value.
  function syncShownWhen() {
    document.querySelectorAll("[data-shown-when]").forEach(function (part) {
      const [name, value] = part.dataset.shownWhen.split("=");
      const form = part.closest("form");
      const chosen = form && form.querySelector('[name="' + name + '"]:checked, select[name="' + name + '"]');
      part.hidden = !chosen || chosen.value !== value;
    });
  }
  document.addEventListener("DOMContentLoaded", syncShownWhen);

  document.addEventListener("change", function (event) {
    const field = event.target;
    syncShownWhen();
    // <select data-autosubmit>: the language switch sends its form on change.
    if (field.matches("[data-autosubmit]")) field.form.submit();
    // <input type=checkbox data-check-all="name">: ticks or unticks every checkbox of that name.
    if (field.matches("[data-check-all]")) {
      document.querySelectorAll('input[name="' + field.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = field.checked;
      });
    }
  });

  // <input data-select-on-click>: one click selects a token to copy.
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-select-on-click]")) event.target.select();
  });

  // A poll after the session ended gets the login page: reload to show it whole instead of inside a fragment.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const login = document.body.dataset.loginUrl;
    if (login && (event.detail.xhr.responseURL || "").indexOf(login) !== -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
