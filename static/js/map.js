// Program popups on the map: fetched from the API when opened and filled with text only, so
// nothing a program's listing says can run as code.
function atlasProgramPopup(programId) {
  var box = document.createElement("div");
  box.className = "map-popup";
  box.textContent = "Loading…";
  fetch("/api/programs/" + encodeURIComponent(programId), {headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (program) {
      box.textContent = "";
      var title = document.createElement("a");
      title.href = "/programs/" + encodeURIComponent(program.id);
      title.textContent = program.name;
      title.className = "map-popup-title";
      box.appendChild(title);
      var facts = [program.organization];
      if (program.intake === "continuous") { facts.push("Continuous intake"); }
      else if (program.next_intake_date) { facts.push("Next intake " + program.next_intake_date); }
      if (program.sites && program.sites.length) { facts.push(program.sites[0].address || program.sites[0].postal_code || ""); }
      facts.forEach(function (fact) {
        if (!fact) { return; }
        var line = document.createElement("p");
        line.textContent = fact;
        box.appendChild(line);
      });
    })
    .catch(function () { box.textContent = "Could not load this program."; });
  return box;
}
