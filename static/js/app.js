// sangtao: behaviour shared by every page, loaded as a file (the CSP allows no inline script).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
