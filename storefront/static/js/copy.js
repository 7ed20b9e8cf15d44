// Copy buttons (VietQR account number and transfer reference): the text goes to the clipboard, the
// status line says whether it worked.
(function () {
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var status = button.closest("section").querySelector(".copy-status");
    function say(key) { if (status) status.textContent = status.dataset[key]; }
    button.addEventListener("click", function () {
      var text = button.dataset.copy;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { say("copied"); }, function () { say("failed"); });
        return;
      }
      var area = document.createElement("textarea");  // plain-HTTP pages have no clipboard API
      area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      say(ok ? "copied" : "failed");
    });
  });
})();
