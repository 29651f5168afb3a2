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
      list.appendChild(line);
    });
    panel.hidden = items.length === 0;
    document.getElementById("shortlist-print").setAttribute("href", planUrl(items));
    document.querySelectorAll(".match-card").forEach(function (card) {
      var button = card.querySelector(".shortlist-add");
      var listed = items.some(function (item) { return item.id === card.dataset.programId; });
      button.hidden = false;
      button.disabled = listed;
      button.firstChild.textContent = listed ? button.dataset.added : button.dataset.add;
    });
  }

  document.querySelectorAll(".shortlist-add").forEach(function (button) {
    button.dataset.add = button.firstChild.textContent;
    button.dataset.added = document.getElementById("shortlist").dataset.added;
    button.addEventListener("click", function () {
      var card = button.closest(".match-card");
      var items = load();
      items.push({id: card.dataset.programId, name: card.dataset.programName});
      save(items);
      render();
      document.getElementById("shortlist-heading").focus();
    });
  });

  var clear = document.getElementById("shortlist-clear");
  if (clear) {
    clear.addEventListener("click", function () { save([]); render(); });
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
