// sangtao: sizes the progress bars of the judging progress board from their data-bar-width (a percentage); the
// CSP allows no inline style, and a script may set a width. The numbers are written out beside every bar.
document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
  var width = parseFloat(bar.getAttribute("data-bar-width"));
  if (!isNaN(width)) {
    bar.style.width = Math.max(0, Math.min(100, width)) + "%";
  }
});
