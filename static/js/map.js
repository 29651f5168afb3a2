// The maps drawn by app/geo/maps.py: site markers, cluster icons, area labels, layer switches and
// popups. Every word shown comes from the page (data-* attributes on .map-frame, translated
// there) or from the API, and is set with textContent, so nothing a listing says can run as code.

function atlasText(name, values) {
  var frame = document.querySelector(".map-frame");
  var text = (frame && frame.dataset[name]) || "";
  Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
  return text;
}

function atlasElement(tag, className, text) {
  var element = document.createElement(tag);
  if (className) { element.className = className; }
  if (text !== undefined) { element.textContent = text; }
  return element;
}

// A site: a 24 px target a finger can hit, reachable with Tab, named for a screen reader.
function atlasSiteMarker(row) {
  var marker = L.marker(L.latLng(row[0], row[1]), {
    icon: L.divIcon({className: "atlas-site", iconSize: [24, 24]}),
    title: atlasText("siteLabel"),
    keyboard: true
  });
  marker.bindPopup(function () { return atlasProgramPopup(row[2], row[0], row[1]); });
  return marker;
}

function atlasClusterIcon(cluster) {
  var count = cluster.getChildCount();
  var size = count < 10 ? 32 : count < 100 ? 38 : 44;
  var content = atlasElement("span");
  var number = atlasElement("span", "", String(count));
  number.setAttribute("aria-hidden", "true");
  content.appendChild(number);
  content.appendChild(atlasElement("span", "map-sr-only", atlasText("clusterLabel", {count: count})));
  return L.divIcon({html: content, className: "atlas-cluster", iconSize: [size, size]});
}

// Area labels are permanent tooltips: they need no pointer or focus, so the areas stay out of the
// tab order. They sit in the shadow pane (unused: markers here have no shadow), under the markers
// and over the areas. Which labels show at which zoom is left to static/css/map.css.
function atlasAreaLabel(layer, className, parts) {
  var content = atlasElement("span", "area-box");
  parts.forEach(function (part) { content.appendChild(atlasElement("span", part[0], part[1])); });
  layer.bindTooltip(content, {permanent: true, direction: "center", className: "area-label " + className,
                              opacity: 1, pane: "shadowPane"});
}

function atlasWardLabel(feature, layer) {
  var properties = feature.properties;
  atlasAreaLabel(layer, "ward-label", [["area-number", String(parseInt(properties.code, 10))], ["area-name", properties.label]]);
}

function atlasNeighbourhoodLabel(feature, layer) {
  atlasAreaLabel(layer, "neighbourhood-label", [["area-name", feature.properties.name]]);
}

function atlasZoomClasses(map) {
  var container = map.getContainer();
  var zoom = map.getZoom();
  container.classList.toggle("zoom-10", zoom >= 10);
  container.classList.toggle("zoom-12", zoom >= 12);
  container.classList.toggle("zoom-14", zoom >= 14);
}

function atlasTranslateZoom(map) {
  if (!map.zoomControl || !atlasText("zoomIn")) { return; }
  map.zoomControl.remove();
  map.zoomControl = L.control.zoom({zoomInTitle: atlasText("zoomIn"), zoomOutTitle: atlasText("zoomOut")}).addTo(map);
}

function atlasLayerSwitches(map, layers) {
  document.querySelectorAll("input[data-map-layer]").forEach(function (box) {
    var layer = layers[box.dataset.mapLayer];
    if (!layer) { box.disabled = true; return; }
    box.checked = map.hasLayer(layer);
    box.addEventListener("change", function () {
      if (box.checked) { map.addLayer(layer); } else { map.removeLayer(layer); }
    });
  });
}

// Leaflet closes a popup on Escape only while the map itself has focus; a keyboard user who
// opened it from a marker has the marker focused.
function atlasCloseOnEscape(map) {
  L.DomEvent.on(map.getContainer(), "keydown", function (event) {
    if (event.key === "Escape") { map.closePopup(); }
  });
}

function atlasMapReady(map, layers) {
  atlasTranslateZoom(map);
  atlasCloseOnEscape(map);
  atlasZoomClasses(map);
  map.on("zoomend", function () { atlasZoomClasses(map); });
  atlasLayerSwitches(map, layers);
}

// The site of the program nearest the marker: the marker's own, for a program with several.
function atlasNearestSite(sites, latitude, longitude) {
  var best = null;
  var bestDistance = Infinity;
  (sites || []).forEach(function (site) {
    if (site.latitude === null || site.latitude === undefined) { return; }
    var distance = Math.pow(site.latitude - latitude, 2) + Math.pow(site.longitude - longitude, 2);
    if (distance < bestDistance) { best = site; bestDistance = distance; }
  });
  return best || (sites && sites[0]) || null;
}

function atlasFillPopup(box, program, latitude, longitude) {
  box.textContent = "";
  var title = atlasElement("a", "map-popup-title", program.name);
  title.href = "/programs/" + encodeURIComponent(program.id);
  box.appendChild(title);
  var site = atlasNearestSite(program.sites, latitude, longitude);
  var facts = [program.organization];
  if (program.intake === "continuous") { facts.push(atlasText("continuous")); }
  else if (program.next_intake_date) { facts.push(atlasText("nextIntake", {date: program.next_intake_date})); }
  if (site) { facts.push(site.address || site.postal_code || ""); }
  facts.forEach(function (fact) {
    if (fact) { box.appendChild(atlasElement("p", "", fact)); }
  });
}

// Fetched when opened and filled with text only.
function atlasProgramPopup(programId, latitude, longitude) {
  var box = atlasElement("div", "map-popup", atlasText("loading"));
  fetch("/api/programs/" + encodeURIComponent(programId), {headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (program) { atlasFillPopup(box, program, latitude, longitude); })
    .catch(function () { box.textContent = atlasText("failed"); });
  return box;
}
