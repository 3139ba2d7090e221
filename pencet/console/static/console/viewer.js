// Zoom and rotate document photos on the review page; one delegated listener, no library.
//
// The photo is laid out at its zoomed size inside a scrolling frame (never scaled with a CSS transform around its
// centre): a transform does not change the layout box, so whatever it pushes above or left of the frame can never
// be scrolled to, and that is where a document says who issued it. Rotation turns the photo about its top-left
// corner and moves it back into the frame, whose box takes the turned size.
(function () {
  "use strict";

  function layout(image) {
    const zoom = parseFloat(image.dataset.zoom || "1");
    const turn = ((parseInt(image.dataset.turn || "0", 10) % 360) + 360) % 360;
    const stage = image.parentElement;
    if (zoom === 1 && turn === 0) {
      // As the stylesheet shows it: the whole width, from the top edge down.
      image.removeAttribute("style");
      stage.removeAttribute("style");
      return;
    }
    const frame = stage.parentElement;
    const sideways = turn === 90 || turn === 270;
    const naturalWidth = image.naturalWidth || image.width;
    const naturalHeight = image.naturalHeight || image.height;
    // At zoom 1 the turned photo fills the frame's width (or keeps its own size when smaller).
    const across = sideways ? naturalHeight : naturalWidth;
    const fit = Math.min(frame.clientWidth, across) / across;
    const width = naturalWidth * fit * zoom;
    const height = naturalHeight * fit * zoom;
    const shift = { 0: [0, 0], 90: [height, 0], 180: [width, height], 270: [0, width] }[turn];
    image.style.maxWidth = "none";
    image.style.margin = "0";
    image.style.width = width + "px";
    image.style.height = height + "px";
    image.style.transformOrigin = "0 0";
    image.style.transform = "translate(" + shift[0] + "px, " + shift[1] + "px) rotate(" + turn + "deg)";
    stage.style.width = (sideways ? height : width) + "px";
    stage.style.height = (sideways ? width : height) + "px";
  }

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
    if (act === "reset") {
      zoom = 1;
      turn = 0;
    }
    image.dataset.zoom = zoom;
    image.dataset.turn = turn;
    layout(image);
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll(".viewer img[data-zoom]").forEach(layout);
  });
})();
