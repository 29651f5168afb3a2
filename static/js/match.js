// The shortlist for one client lives in this tab's session storage only: closing the tab
// forgets it, and nothing about the client reaches the server. The plan page receives
// program ids and nothing else.
(function () {
  var KEY = "atlas.shortlist";

  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }

  function save(items) { sessionStorage.setItem(KEY, JSON.stringify(items)); }

  function planUrl(items) {
    var base = document.getElementById("shortlist-print").getAttribute("href").split("?")[0];
    return base + "?" + items.map(function (item) { return "program=" + encodeURIComponent(item.id); }).join("&");
  }

  function render() {
    var panel = document.getElementById("shortlist");
    if (!panel) { return; }
    var items = load();
    var list = document.getElementById("shortlist-items");
    list.textContent = "";
    items.forEach(function (item) {
      var line = document.createElement("li");
      line.textContent = item.name;
      if (panel.dataset.referAction && item.referable) { line.appendChild(referButton(panel, item)); }
      list.appendChild(line);
    });
    panel.hidden = items.length === 0;
    document.getElementById("shortlist-print").setAttribute("href", planUrl(items));
    document.querySelectorAll(".match-card").forEach(function (card) {
      var button = card.querySelector(".shortlist-add");
      var listed = items.some(function (item) { return item.id === card.dataset.programId; });
      button.hidden = false;
      button.setAttribute("aria-pressed", listed ? "true" : "false");
      button.firstChild.textContent = listed ? panel.dataset.remove : button.dataset.add;
    });
  }

  // Refers with the needs described in the form above: the button submits that form to the
  // referral page, as the one on each result does.
  function referButton(panel, item) {
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button-secondary shortlist-refer";
    button.setAttribute("form", "match-form");
    button.setAttribute("formaction", panel.dataset.referAction);
    button.name = "program";
    button.value = item.id;
    button.textContent = panel.dataset.refer;
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = ": " + item.name;
    button.appendChild(name);
    return button;
  }

  function announce(text) {
    var status = document.getElementById("shortlist-status");
    if (status) { status.textContent = text; }
  }

  // Adding or removing keeps focus on the button pressed: a caseworker working down the list
  // stays where they are, and hears what changed.
  document.querySelectorAll(".shortlist-add").forEach(function (button) {
    button.dataset.add = button.firstChild.textContent;
    button.addEventListener("click", function () {
      var panel = document.getElementById("shortlist");
      var card = button.closest(".match-card");
      var id = card.dataset.programId;
      var items = load();
      var listed = items.some(function (item) { return item.id === id; });
      if (listed) {
        items = items.filter(function (item) { return item.id !== id; });
      } else {
        items.push({id: id, name: card.dataset.programName, referable: !!card.querySelector("[formaction]")});
      }
      save(items);
      render();
      announce((listed ? panel.dataset.removed : panel.dataset.added).replace("%(name)s", card.dataset.programName));
    });
  });

  var clear = document.getElementById("shortlist-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      save([]);
      render();
      announce(document.getElementById("shortlist").dataset.cleared);
      document.getElementById("match-heading").focus();
    });
  }

  var share = document.getElementById("share-button");
  if (share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      var panel = document.getElementById("share-panel");
      panel.hidden = false;
      var field = document.getElementById("share-link");
      field.focus();
      field.select();
    });
  }

  var print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  // A mistake outranks the results the form's address points at: the summary takes focus once
  // the browser has finished moving to that fragment.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    window.addEventListener("load", function () { summary.focus(); summary.scrollIntoView(); });
  }
  render();
})();
