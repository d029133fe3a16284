// The shared tablet of a supervised class session: a page restored from the back/forward cache is
// fetched anew, and a questionnaire is emptied when the pupil leaves it, so no answer stays behind.
window.addEventListener("pageshow", function (event) {
  if (event.persisted) window.location.reload();
});
window.addEventListener("pagehide", function () {
  document.querySelectorAll("form").forEach(function (form) { form.reset(); });
});
