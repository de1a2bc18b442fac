// sangtao check-in console: camera (getUserMedia + the vendored jsQR), a field USB/Bluetooth scanners type into,
// a name search, and an offline queue kept in localStorage and sent back when the network returns.
// Loaded as a file (the CSP allows no inline script); what it needs comes from the page's data attributes.
(function () {
  "use strict";

  var COOLDOWN_MS = 3000; // the same code read again within this time of its last sighting is the same scan
  var DECODE_EVERY_MS = 120;
  var RETRY_EVERY_MS = 8000;
  var COUNTS_EVERY_MS = 5000;
  var MAX_SIDE = 640; // frames are scaled down to this before decoding
  var COLOURS = {
    checked_in: "text-bg-success",
    already: "text-bg-warning",
    wrong_event: "text-bg-danger",
    revoked: "text-bg-danger",
    unknown: "text-bg-danger",
    queued: "text-bg-secondary",
    roster_known: "text-bg-info",
    error: "text-bg-danger"
  };

  function format(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_, key) {
      return values && key in values ? values[key] : "";
    });
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function storage(kind) {
    try {
      return window[kind];
    } catch (e) {
      return null;
    }
  }

  // --- live counts (console and attendance page) ------------------------------------------------------------------

  function startCounts(root) {
    var url = root.getAttribute("data-counts-url");
    if (!url) {
      return;
    }
    function refresh() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) {
            return;
          }
          var checked = root.querySelector("[data-role=checked-in]");
          var invited = root.querySelector("[data-role=invited]");
          if (checked) { checked.textContent = data.checked_in; }
          if (invited) { invited.textContent = data.invited; }
          var body = root.querySelector("[data-role=by-role]");
          if (body) {
            body.textContent = "";
            data.by_role.forEach(function (r) {
              var tr = document.createElement("tr");
              [r.label, r.invited, r.checked_in].forEach(function (value, i) {
                var td = document.createElement("td");
                td.textContent = value;
                if (i) { td.className = "text-end"; }
                tr.appendChild(td);
              });
              body.appendChild(tr);
            });
          }
        })
        .catch(function () { /* offline: the next tick tries again */ });
    }
    setInterval(refresh, COUNTS_EVERY_MS);
  }

  var attendanceRoot = document.getElementById("attendance-counts");
  if (attendanceRoot) {
    startCounts(attendanceRoot);
  }

  var root = document.getElementById("checkin-console");
  if (!root) {
    return;
  }

  // --- the console ----------------------------------------------------------------------------------------------

  var messages = JSON.parse(document.getElementById("checkin-messages").textContent);
  var eventId = root.getAttribute("data-event-id");
  var csrf = root.getAttribute("data-csrf");
  var store = storage("localStorage"); // the queue outlives the tab: no scan is lost
  var tabStore = storage("sessionStorage"); // the roster (names) lives only as long as the tab
  var queueKey = "sangtao.checkin.queue." + eventId;
  var deviceKey = "sangtao.checkin.device";
  var rosterKey = "sangtao.checkin.roster." + eventId;
  var answerBox = document.getElementById("checkin-answer");
  var network = document.getElementById("checkin-network");
  var deviceId = (store && store.getItem(deviceKey)) || "";
  if (!deviceId) {
    deviceId = "dev-" + randomId().replace(/-/g, "").slice(0, 12);
    if (store) { store.setItem(deviceKey, deviceId); }
  }
  document.getElementById("checkin-device").value = deviceId;
  var lastCode = "";
  var lastCodeAt = 0;
  var sending = false;
  var roster = null; // {hash: entry} for answering while offline
  var seenOffline = {}; // hashes scanned offline on this device since the page loaded

  function queue() {
    try {
      return JSON.parse((store && store.getItem(queueKey)) || "[]");
    } catch (e) {
      return [];
    }
  }

  function saveQueue(items) {
    if (store) { store.setItem(queueKey, JSON.stringify(items)); }
  }

  function showNetwork(text) {
    network.textContent = text || "";
    network.classList.toggle("d-none", !text);
  }

  function updateNetwork() {
    var n = queue().length;
    if (!navigator.onLine || n) {
      showNetwork(n ? format(messages.offline, { num: n }) : messages.offline_empty);
    } else {
      showNetwork("");
    }
    network.setAttribute("data-queued", String(n));
  }

  function setPart(role, text) {
    var el = answerBox.querySelector("[data-role=" + role + "]");
    if (el) { el.textContent = text || ""; }
  }

  function show(outcome, headline, name, meta, detail, checkInId) {
    Object.keys(COLOURS).forEach(function (k) { answerBox.classList.remove(COLOURS[k]); });
    answerBox.classList.remove("bg-body-tertiary");
    answerBox.classList.add(COLOURS[outcome] || "text-bg-secondary");
    answerBox.setAttribute("data-outcome", outcome);
    setPart("headline", headline);
    setPart("name", name);
    setPart("meta", meta);
    setPart("detail", detail);
    var undo = answerBox.querySelector("[data-role=undo]");
    var link = answerBox.querySelector("[data-role=undo-link]");
    if (checkInId && outcome === "checked_in") {
      link.href = root.getAttribute("data-undo-url").replace(/\/0\/undo$/, "/" + checkInId + "/undo");
      undo.classList.remove("d-none");
    } else {
      undo.classList.add("d-none");
    }
    if (navigator.vibrate) {
      navigator.vibrate(outcome === "checked_in" ? 80 : [60, 60, 60]);
    }
  }

  function showAnswer(answer) {
    var p = answer.invitee;
    var meta = p ? [p.unit, p.role_label].filter(Boolean).join(" · ") : "";
    show(answer.outcome, answer.message, p ? p.name : "", meta, answer.detail || "",
      answer.check_in ? answer.check_in.id : null);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok || response.redirected) {
          var error = new Error((data.error && data.error.message) || response.statusText || "HTTP " + response.status);
          error.refused = true;
          throw error;
        }
        return data;
      });
    });
  }

  // --- offline: the roster and the queue ---------------------------------------------------------------------

  function loadRoster() {
    fetch(root.getAttribute("data-roster-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (tabStore) {
          try { tabStore.setItem(rosterKey, JSON.stringify(data)); } catch (e) { /* full: offline answers stay vaguer */ }
        }
        useRoster(data);
      })
      .catch(function () {
        try { useRoster(JSON.parse((tabStore && tabStore.getItem(rosterKey)) || "null")); } catch (e) { /* none kept */ }
      });
  }

  function useRoster(data) {
    if (!data || !data.passes) { return; }
    roster = { hex: data.hash_hex, passes: {} };
    data.passes.forEach(function (p) { roster.passes[p.h] = p; });
  }

  function tokenOf(code) {
    var text = String(code || "").trim();
    if (text.indexOf("/") >= 0) {
      text = text.split("?")[0].split("#")[0].replace(/\/+$/, "");
      text = text.slice(text.lastIndexOf("/") + 1);
    }
    return /^[A-Za-z0-9_-]{32,64}$/.test(text) ? text : null;
  }

  function rosterAnswer(code) {
    // What the device can tell without the server: a likely guest, a stranger, or a second scan here.
    var token = tokenOf(code);
    if (!roster || !token || !(window.crypto && crypto.subtle)) {
      return Promise.resolve(null);
    }
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)).then(function (buf) {
      var hex = Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); })
        .join("").slice(0, roster.hex);
      var entry = roster.passes[hex];
      var twice = seenOffline[hex] || (entry && entry["in"]);
      seenOffline[hex] = true;
      return { entry: entry, twice: twice };
    });
  }

  function enqueue(item) {
    var items = queue();
    items.push(item);
    saveQueue(items);
    updateNetwork();
    rosterAnswer(item.code).then(function (local) {
      var detail = messages.queued_detail;
      if (local && local.entry) {
        var meta = [local.entry.unit, local.entry.role_label].filter(Boolean).join(" · ");
        show(local.twice ? "already" : "roster_known", local.twice ? messages.roster_twice : messages.roster_known,
          local.entry.name, meta, detail);
      } else if (local) {
        show("unknown", messages.roster_unknown, "", "", detail);
      } else {
        show("queued", messages.queued, "", "", detail);
      }
    });
  }

  function flush() {
    var items = queue();
    if (sending || !items.length || !navigator.onLine) {
      updateNetwork();
      return;
    }
    sending = true;
    showNetwork(format(messages.sending, { num: items.length }));
    var batch = items.slice(0, 200);
    post(root.getAttribute("data-batch-url"), { device_id: deviceId, scans: batch })
      .then(function (result) {
        var sent = {};
        batch.forEach(function (s) { sent[s.nonce] = true; });
        saveQueue(queue().filter(function (s) { return !sent[s.nonce]; }));
        var text = format(messages.sent, { num: batch.length });
        if (result.double_uses && result.double_uses.length) {
          text += " " + format(messages.sent_double, { num: result.double_uses.length });
        }
        sending = false;
        updateNetwork();
        showNetwork(queue().length ? network.textContent : text);
        network.setAttribute("data-sent", String(batch.length));
        if (queue().length) { flush(); }
      })
      .catch(function () {
        sending = false;
        updateNetwork();
      });
  }

  // --- one scan ---------------------------------------------------------------------------------------------

  function handleCode(code, source) {
    code = String(code || "").trim();
    if (!code) { return; }
    var now = Date.now();
    var seenJustNow = code === lastCode && now - lastCodeAt < COOLDOWN_MS;
    lastCode = code;
    lastCodeAt = now; // a pass held in front of the camera is sent once, until it has been out of sight a while
    if (seenJustNow) { return; }
    var item = { nonce: randomId(), code: code, client_at: new Date().toISOString(), source: source };
    if (!navigator.onLine) {
      enqueue(item);
      return;
    }
    post(root.getAttribute("data-scan-url"), { nonce: item.nonce, code: code, device_id: deviceId, source: source })
      .then(function (answer) {
        showAnswer(answer);
        refreshCountsSoon();
      })
      .catch(function (error) {
        if (error.refused) {
          show("error", format(messages.error, { error: error.message }), "", "", "");
        } else {
          enqueue(item); // the network failed: keep the scan (same nonce: a request that did arrive counts once)
        }
      });
  }

  var countsTimer = null;
  function refreshCountsSoon() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(function () {
      fetch(root.getAttribute("data-counts-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          root.querySelector("[data-role=checked-in]").textContent = data.checked_in;
          root.querySelector("[data-role=invited]").textContent = data.invited;
        })
        .catch(function () { /* offline */ });
    }, 300);
  }

  // --- the scanner field --------------------------------------------------------------------------------------

  var form = document.getElementById("checkin-scan-form");
  var codeField = form.querySelector("[name=code]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeField.value;
    codeField.value = "";
    lastCode = ""; // a code typed or scanned on purpose is always sent, even twice in a row
    handleCode(code, "scanner");
    codeField.focus();
  });

  // --- the camera ---------------------------------------------------------------------------------------------

  var video = document.getElementById("checkin-video");
  var canvas = document.getElementById("checkin-canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var startButton = document.getElementById("checkin-camera-start");
  var stopButton = document.getElementById("checkin-camera-stop");
  var cameraStatus = document.getElementById("checkin-camera-status");
  var stream = null;
  var decodeTimer = null;

  function decodeFrame() {
    if (!stream || video.readyState < 2 || !video.videoWidth) { return; }
    var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    var w = Math.round(video.videoWidth * scale);
    var h = Math.round(video.videoHeight * scale);
    canvas.width = w;
    canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    var found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
    if (found && found.data) {
      handleCode(found.data, "camera");
    }
  }

  var starting = false;

  function startCamera() {
    if (stream || starting) { return; }
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || !window.jsQR) {
      cameraStatus.textContent = messages.camera_none;
      return;
    }
    starting = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        starting = false;
        stream = s;
        video.srcObject = s;
        video.setAttribute("data-track-label", s.getVideoTracks()[0] ? s.getVideoTracks()[0].label : "");
        return video.play();
      })
      .then(function () {
        cameraStatus.textContent = messages.camera_on;
        startButton.classList.add("d-none");
        stopButton.classList.remove("d-none");
        decodeTimer = setInterval(decodeFrame, DECODE_EVERY_MS);
      })
      .catch(function (error) {
        starting = false;
        cameraStatus.textContent = format(messages.camera_error, { error: error.message || error.name });
      });
  }

  function stopCamera() {
    clearInterval(decodeTimer);
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
    }
    stream = null;
    video.srcObject = null;
    cameraStatus.textContent = messages.camera_off;
    startButton.classList.remove("d-none");
    stopButton.classList.add("d-none");
  }

  startButton.addEventListener("click", startCamera);
  stopButton.addEventListener("click", stopCamera);
  if (navigator.permissions && navigator.permissions.query) {
    // A device that already allowed the camera starts scanning at once.
    navigator.permissions.query({ name: "camera" }).then(function (state) {
      if (state.state === "granted") { startCamera(); }
    }).catch(function () { /* the browser does not say: the button is there */ });
  }

  // --- the name search ----------------------------------------------------------------------------------------

  var searchField = document.getElementById("checkin-search");
  var results = document.getElementById("checkin-search-results");
  var searchTimer = null;

  function renderResults(people) {
    results.textContent = "";
    if (!people.length) {
      var empty = document.createElement("li");
      empty.className = "list-group-item text-muted";
      empty.textContent = messages.search_empty;
      results.appendChild(empty);
      return;
    }
    people.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      var who = document.createElement("div");
      var name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = p.name;
      var meta = document.createElement("div");
      meta.className = "small text-muted";
      var bits = [p.unit, p.role_label];
      if (p.check_in) { bits.push(format(messages.checked_in_at, { time: p.check_in.at_local, name: p.check_in.by })); }
      if (!p.holds_place) { bits.push(messages.no_place); }
      meta.textContent = bits.filter(Boolean).join(" · ");
      who.appendChild(name);
      who.appendChild(meta);
      li.appendChild(who);
      if (!p.checked_in && p.holds_place) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-success btn-sm";
        button.textContent = messages.check_in;
        button.addEventListener("click", function () {
          button.disabled = true;
          post(p.check_in_url, { nonce: randomId(), device_id: deviceId })
            .then(function (answer) {
              showAnswer(answer);
              refreshCountsSoon();
              search();
            })
            .catch(function (error) {
              button.disabled = false;
              show("error", format(messages.error, { error: error.message }), "", "", "");
            });
        });
        li.appendChild(button);
      }
      results.appendChild(li);
    });
  }

  function search() {
    var q = searchField.value.trim();
    if (!q) {
      results.textContent = "";
      return;
    }
    var url = root.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { renderResults(data.results); })
      .catch(function () { /* offline: nothing to search */ });
  }

  searchField.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 200);
  });

  // --- start --------------------------------------------------------------------------------------------------

  window.addEventListener("online", flush);
  window.addEventListener("offline", updateNetwork);
  setInterval(flush, RETRY_EVERY_MS);
  loadRoster();
  updateNetwork();
  flush();
  startCounts(root);
})();
