// Product page: the photo thumbnails swap the main photo; choosing a variant reloads the page for it.
document.querySelectorAll('.thumbs button').forEach(function (b) {
  b.addEventListener('click', function () {
    var main = document.getElementById('main-image');
    main.src = b.dataset.src; main.alt = b.dataset.alt;
    document.querySelectorAll('.thumbs button').forEach(function (o) { o.removeAttribute('aria-current'); });
    b.setAttribute('aria-current', 'true');
  });
});
document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
  select.addEventListener('change', function () { select.form.submit(); });
});
