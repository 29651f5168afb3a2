// The dashboard works without script; with it, a Print button appears and changing a select in the
// dimension form does not need a second click on "Show".
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
