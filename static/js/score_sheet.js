// sangtao: a judge's score sheet.
// - The live total, as the server computes it (weighted scores on the rubric's scale, to 0.01). Scores may be
//   typed with a decimal comma or dot; values out of range are left out here and refused by the server beside
//   their field.
// - What the judge types is kept in this tab (sessionStorage) until the server has stored it: a save or submit
//   lost on the way (no network, a server that failed mid-request) leaves the typed scores in the browser, and
//   they are put back in the form the next time the sheet is opened in this tab, with a notice. The copy is
//   dropped once the sheet's version on the server has moved on (saved, submitted, or changed elsewhere), and
//   whenever the sheet cannot be edited.
(function () {
  "use strict";
  var box = document.querySelector("[data-sheet-keep]");
  var form = document.querySelector("form[data-score-sheet]");
  var shown = document.getElementById("sheet-total");
  var inputs = form ? Array.prototype.slice.call(form.querySelectorAll("input[data-max]")) : [];

  function number(text) {
    var clean = String(text || "").replace(/\s+/g, "").replace(",", ".");
    return /^\d{1,6}(\.\d{1,4})?$/.test(clean) ? parseFloat(clean) : null;
  }

  function format(value) {
    var text = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
    return text.replace(".", ",");
  }

  function update() {
    if (!shown) {
      return;
    }
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

  // --- The typed scores, kept until the server has them ---------------------------------------------------------

  var key = box ? "sangtao.sheet." + box.getAttribute("data-sheet-keep") : null;
  var version = box ? parseInt(box.getAttribute("data-sheet-version"), 10) || 0 : 0;

  function storage() {
    try {
      return window.sessionStorage; // may be missing, or refuse writes (a private window, a full quota)
    } catch (e) {
      return null;
    }
  }

  function kept() {
    var store = storage();
    try {
      var copy = store && key ? JSON.parse(store.getItem(key) || "null") : null;
      return copy && typeof copy === "object" && copy.values && typeof copy.values === "object" ? copy : null;
    } catch (e) {
      return null;
    }
  }

  function forget() {
    var store = storage();
    try {
      if (store && key) {
        store.removeItem(key);
      }
    } catch (e) {
      // nothing kept, nothing to forget
    }
  }

  function fields() {
    return form ? Array.prototype.slice.call(form.querySelectorAll("input[data-max], textarea[name=comment]")) : [];
  }

  function valuesOf(property) {
    // each field's "value" (as shown now) or "defaultValue" (as the server put it, whatever was typed before
    // this script ran)
    var values = {};
    fields().forEach(function (field) {
      values[field.name] = field[property];
    });
    return values;
  }

  function differ(values, other) {
    return Object.keys(values).some(function (name) {
      return Object.prototype.hasOwnProperty.call(other, name) && other[name] !== String(values[name]);
    });
  }

  function keep() {
    var store = storage();
    try {
      if (store && key) {
        store.setItem(key, JSON.stringify({ version: version, values: valuesOf("value") }));
      }
    } catch (e) {
      // the form still works; only the copy is missing
    }
  }

  function fill(values, untouchedOnly) {
    fields().forEach(function (field) {
      var untouched = field.value === field.defaultValue;
      if (Object.prototype.hasOwnProperty.call(values, field.name) && (untouched || !untouchedOnly)) {
        field.value = String(values[field.name]);
      }
    });
    update();
  }

  var asServed = valuesOf("defaultValue");

  if (key) {
    var copy = kept();
    if (copy && (!form || copy.version !== version)) {
      forget(); // stored by the server since, or no longer editable
    } else if (copy && form) {
      var notice = form.querySelector("[data-sheet-restored]");
      if (differ(copy.values, asServed)) {
        fill(copy.values, true); // not over what the judge has typed since the page came
        if (notice) {
          notice.hidden = false;
          var discard = notice.querySelector("[data-sheet-discard]");
          if (discard) {
            discard.addEventListener("click", function () {
              forget();
              fill(asServed, false);
              notice.hidden = true;
            });
          }
        }
      }
    }
  }

  if (form) {
    form.addEventListener("input", function () {
      update();
      keep();
    });
    update();
    if (differ(valuesOf("value"), asServed)) {
      keep(); // typed before this script ran (a slow phone), or put back by the browser: keep it as shown
    }
  }
})();
