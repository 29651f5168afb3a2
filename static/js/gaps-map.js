// The place-and-need map of the gaps dashboard (app/geo/maps.py place_map). Each area's popup
// gives its name and figures; the words come from the page (data-* on .map-frame) and the names
// and figures from the map's data, and all are set with textContent, so no name can run as code.
// Uses atlasText, atlasElement and atlasAreaLabel from static/js/map.js.

var ATLAS_GAP_FIGURES = ["rank", "served", "served_per_10k", "access", "need", "gap"];

function atlasGapPopup(properties) {
  var box = atlasElement("div", "map-popup");
  box.appendChild(atlasElement("p", "map-popup-title", properties.name));
  var figures = properties.figures || {};
  ATLAS_GAP_FIGURES.forEach(function (name) {
    if (figures[name] === undefined) { return; }
    var wording = "figure" + name.charAt(0).toUpperCase() + name.slice(1);
    box.appendChild(atlasElement("p", "", atlasText(wording, {value: figures[name]})));
  });
  return box;
}

function atlasGapArea(layer, properties) {
  layer.bindPopup(function () { return atlasGapPopup(properties); });
}

function atlasGapWard(feature, layer) {
  var properties = feature.properties;
  atlasAreaLabel(layer, "ward-label", [["area-number", String(parseInt(properties.code, 10))], ["area-name", properties.name]]);
  atlasGapArea(layer, properties);
}

function atlasGapNeighbourhood(feature, layer) {
  atlasAreaLabel(layer, "neighbourhood-label", [["area-name", feature.properties.name]]);
  atlasGapArea(layer, feature.properties);
}
