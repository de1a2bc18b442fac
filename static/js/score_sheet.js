// sangtao: the live total of a judge's score sheet, as the server computes it (weighted scores on the rubric's
// scale, to 0.01). Scores may be typed with a decimal comma or dot; values out of range are left out here and
// refused by the server beside their field.
(function () {
  "use strict";
  var form = document.querySelector("form[data-score-sheet]");
  var shown = document.getElementById("sheet-total");
  if (!form || !shown) {
    return;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-max]"));

  function number(text) {
    var clean = String(text || "").replace(/\s+/g, "").replace(",", ".");
    return /^\d{1,6}(\.\d{1,4})?$/.test(clean) ? parseFloat(clean) : null;
  }

  function format(value) {
    var text = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
    return text.replace(".", ",");
  }

  function update() {
    var scale = 0;
    var weightedMax = 0;
    var weighted = 0;
    var given = 0;
    inputs.forEach(function (input) {
      var max = parseFloat(input.getAttribute("data-max"));
      var weight = parseFloat(input.getAttribute("data-weight"));
      scale += max;
      weightedMax += weight * max;
      var value = number(input.value);
      if (value !== null && value <= max) {
        weighted += weight * value;
        given += 1;
      }
    });
    shown.textContent = given && weightedMax > 0 ? format((weighted * scale) / weightedMax) : "–";
  }

  form.addEventListener("input", update);
  update();
})();
