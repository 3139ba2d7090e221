// The simulator's phone: polls for new messages, sends a picked file at once, keeps the newest message in view.
(function () {
  "use strict";

  function messages() {
    return document.getElementById("messages");
  }

  // The poll tells the server how many messages the page already shows, so it answers only when there are more.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id === "messages") {
      event.detail.parameters.n = document.querySelectorAll("#messages .msg").length;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.matches("form.compose")) event.detail.elt.reset();
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-send-on-pick]")) event.target.form.requestSubmit();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "messages") event.target.scrollTop = event.target.scrollHeight;
  });

  window.addEventListener("load", function () {
    const box = messages();
    if (box) box.scrollTop = box.scrollHeight;
  });
})();
