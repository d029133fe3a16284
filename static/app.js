// XinQiao's one small script. No inline script anywhere: pages run under a strict CSP.
(function () {
  "use strict";
  // A session that expired during an htmx call answers 401 + HX-Redirect; htmx follows the
  // redirect itself, so nothing is swapped. Other errors get a visible message, not silence.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status === 401) return;
    var main = document.getElementById("main");
    if (!main || main.querySelector(".net-error")) return;
    var note = document.createElement("p");
    note.className = "error banner net-error";
    note.setAttribute("role", "alert");
    note.textContent = document.documentElement.lang === "en"
      ? "Something went wrong. Please try again."
      : "出了点问题,请再试一次。";
    main.prepend(note);
  });
})();
