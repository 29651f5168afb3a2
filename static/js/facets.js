// Filters apply with their button only, so ticking a box never reloads the page under
// someone's keyboard focus. On a narrow screen the filters fold behind a "Filters (n)"
// button, so the first results show without scrolling past every filter; without script
// they simply stay open.
(function () {
  var toggle = document.querySelector(".filters-toggle");
  var panel = document.getElementById("filters");
  if (!toggle || !panel) { return; }
  var narrow = window.matchMedia("(max-width: 48rem)");

  function show(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
  }

  function fit() {
    toggle.hidden = !narrow.matches;
    show(!narrow.matches);
  }

  toggle.addEventListener("click", function () {
    show(toggle.getAttribute("aria-expanded") !== "true");
  });
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
  fit();
})();

// A place that could not be used is said beside its field; the form's address points at the
// results, so once the browser has moved there, focus goes to the field with the mistake and
// its message is read out.
(function () {
  var mistake = document.querySelector("#near[aria-invalid], #radius_km[aria-invalid]");
  if (!mistake) { return; }
  window.addEventListener("load", function () { mistake.focus(); });
})();
