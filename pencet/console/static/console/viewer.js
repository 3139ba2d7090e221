// Zoom and rotate document photos on the review page; one delegated listener, no library.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-view]");
  if (!button) return;
  const image = button.closest(".viewer").querySelector("img");
  let zoom = parseFloat(image.dataset.zoom || "1");
  let turn = parseInt(image.dataset.turn || "0", 10);
  const act = button.dataset.view;
  if (act === "in") zoom = Math.min(zoom * 1.4, 6);
  if (act === "out") zoom = Math.max(zoom / 1.4, 0.5);
  if (act === "left") turn -= 90;
  if (act === "right") turn += 90;
  if (act === "reset") { zoom = 1; turn = 0; }
  image.dataset.zoom = zoom;
  image.dataset.turn = turn;
  image.style.transform = "rotate(" + turn + "deg) scale(" + zoom + ")";
});
