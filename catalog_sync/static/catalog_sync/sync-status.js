// "Đồng bộ ngay" without a page reload: queue the run, then poll the status endpoint until it finishes.
(function () {
  var box = document.getElementById("sync-status");
  if (!box) return;
  var text = box.dataset;
  var timer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }

  function show(status) {
    box.hidden = false;
    if (!status.run) { box.textContent = text.queued; return false; }
    if (status.running) {
      box.className = "sync-status running";
      box.textContent = fill(text.runningText, status);
      return true;
    }
    box.className = "sync-status " + (status.error || status.failed ? "error" : "done");
    box.textContent = fill(status.error ? text.failed : text.done, status);
    return false;
  }

  function poll(sinceRun) {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (status) {
        var waiting = sinceRun !== undefined && (status.run === null || status.run <= sinceRun);
        if (waiting) { box.hidden = false; box.textContent = text.queued; }
        if (waiting || show(status)) { timer = setTimeout(function () { poll(sinceRun); }, 1000); }
      });
  }

  document.querySelectorAll("form[data-sync]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      var before = parseInt(box.dataset.lastRun || "0", 10);
      box.hidden = false;
      box.className = "sync-status running";
      box.textContent = text.queued;
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function () { poll(before); })
        .catch(function () { box.className = "sync-status error"; box.textContent = text.refused; });
    });
  });

  if (box.dataset.running === "1") poll();
})();
