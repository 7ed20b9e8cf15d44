// Dashboard photo upload: show the chosen file before it is sent.
(function () {
  var input = document.getElementById('id_image'), preview = document.getElementById('upload-preview');
  if (!input || !preview) return;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) { preview.hidden = true; return; }
    preview.src = URL.createObjectURL(file); preview.alt = file.name; preview.hidden = false;
  });
})();
