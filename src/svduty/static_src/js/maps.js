/*
 * Draws the choropleth maps that templates/includes/map.html puts on a page.
 *
 * Contract (see docs/frontend.md):
 *   <div class="app-map__canvas" data-map-geojson="<json_script id>"
 *        data-map-legend="<json_script id>" data-map-label="…"
 *        data-map-tile-url="…" data-map-tile-attribution="…">
 * GeoJSON features carry properties.name, properties.value, properties.band (1–5,
 * or null for "no data"/suppressed) and optionally properties.value_label (the
 * text to show, for example "fewer than 5").
 *
 * No tile layer unless the page sets data-map-tile-url (nothing is fetched from
 * the internet by default). Each area is focusable with the keyboard (Tab), and
 * shows its name and value when focused or hovered; the table beside the map
 * carries the same figures for everyone.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var maps = document.querySelectorAll("[data-map-geojson]");
  if (!maps.length || !script) {
    return;
  }

  // ColorBrewer "Blues" (colour-blind safe); keep in step with scss/components/_map.scss.
  var BANDS = { 1: "#eff3ff", 2: "#bdd7e7", 3: "#6baed6", 4: "#3182bd", 5: "#08519c" };
  var NO_DATA = "#ffffff";

  function loadCss(href) {
    if (document.querySelector('link[href="' + href + '"]')) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("Could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  function readJson(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function valueText(props) {
    if (props.value_label !== undefined && props.value_label !== null) {
      return String(props.value_label);
    }
    if (props.value === undefined || props.value === null) {
      return "no data";
    }
    return String(props.value);
  }

  function legendControl(L, title, items) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "app-map__legend");
      var heading = L.DomUtil.create("p", "app-map__legend-title", box);
      heading.textContent = title || "Key";
      var list = L.DomUtil.create("ul", "app-map__legend-list", box);
      items.forEach(function (item) {
        var li = L.DomUtil.create("li", "app-map__legend-item", list);
        var band = item.band === null || item.band === undefined ? "none" : item.band;
        L.DomUtil.create("span", "app-map__swatch app-map__swatch--band-" + band, li).setAttribute(
          "aria-hidden",
          "true",
        );
        var label = L.DomUtil.create("span", "", li);
        label.textContent = item.label;
      });
      return box;
    };
    return control;
  }

  function draw(L, canvas) {
    var geojson = readJson(canvas.getAttribute("data-map-geojson"));
    if (!geojson) {
      return;
    }
    var legend = readJson(canvas.getAttribute("data-map-legend")) || [];
    var label = canvas.getAttribute("data-map-label") || "Map";

    var map = L.map(canvas, {
      scrollWheelZoom: false,
      keyboard: true,
      attributionControl: true,
      zoomSnap: 0.25,
    });
    map.attributionControl.setPrefix(false);
    canvas.setAttribute("aria-label", label + ". Use Tab to move between areas.");
    canvas.setAttribute("role", "region");

    var tileUrl = canvas.getAttribute("data-map-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        attribution: canvas.getAttribute("data-map-tile-attribution") || "",
      }).addTo(map);
    }

    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var band = feature.properties && feature.properties.band;
        return {
          color: "#0b0c0c",
          weight: 1,
          fillOpacity: 1,
          fillColor: BANDS[band] || NO_DATA,
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var props = feature.properties || {};
        var text = (props.name || "Area") + ": " + valueText(props);
        featureLayer.bindTooltip(text, { sticky: false });
        featureLayer.on("add", function () {
          var el = featureLayer.getElement && featureLayer.getElement();
          if (!el) {
            return;
          }
          // SVG paths are not focusable by default: make each area a stop in the
          // tab order with a text alternative, and show its tooltip on focus.
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "img");
          el.setAttribute("aria-label", text);
          el.addEventListener("focus", function () {
            featureLayer.setStyle({ weight: 4 });
            featureLayer.openTooltip(featureLayer.getBounds().getCenter());
          });
          el.addEventListener("blur", function () {
            featureLayer.setStyle({ weight: 1 });
            featureLayer.closeTooltip();
          });
        });
      },
    }).addTo(map);

    var attribution = canvas.getAttribute("data-map-attribution");
    if (attribution) {
      map.attributionControl.addAttribution(attribution);
    }
    if (legend.length) {
      legendControl(L, canvas.getAttribute("data-map-legend-title"), legend).addTo(map);
    }
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView([52.5, -1.5], 6);
    }
  }

  loadCss(script.dataset.leafletCss);
  loadScript(script.dataset.leaflet)
    .then(function () {
      Array.prototype.forEach.call(maps, function (canvas) {
        try {
          draw(window.L, canvas);
        } catch (error) {
          if (window.console) {
            window.console.error("Map could not be drawn", error);
          }
        }
      });
    })
    .catch(function (error) {
      if (window.console) {
        window.console.error(error);
      }
    });
})();
