// A chat handed to a person (console/contact.html): the composer stays on top; the message that asked for a person
// is scrolled into view inside the transcript's own scroll box, and a canned reply fills the composer to edit.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-scroll-to]").forEach(function (box) {
      const target = document.getElementById(box.dataset.scrollTo);
      if (target) box.scrollTop = Math.max(0, target.offsetTop - box.offsetTop - 8);
    });
  });

  document.addEventListener("change", function (event) {
    const select = event.target;
    if (!select.matches("select[data-canned-for]")) return;
    const option = select.options[select.selectedIndex];
    const body = document.getElementById(select.dataset.cannedFor);
    if (!body || !option || !option.dataset.body) return;
    body.value = option.dataset.body;
    body.focus();
  });
})();
