// A "Print" button (data-print) prints the page; loaded as a file (the CSP allows no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
