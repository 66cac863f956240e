/*
 * Draws the Vega-Lite charts that templates/includes/chart.html puts on a page.
 *
 * Each chart is an element with data-vega-spec="<id of a json_script element>".
 * The same figures are always in a table beside the chart, so without JavaScript
 * (or if drawing fails) nothing is lost.
 *
 * Vega is loaded only on pages with a chart. The CSP has no 'unsafe-eval', so Vega
 * parses expressions to an AST (`ast: true`) and evaluates them with the
 * expression interpreter (vega-interpreter, bundled in vega-embed) instead of
 * compiling them with new Function(). vega-embed's and vega-tooltip's injected
 * <style> elements are switched off; their styles are in our Sass.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var charts = document.querySelectorAll("[data-vega-spec]");
  if (!charts.length || !script) {
    return;
  }

  function load(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.async = false;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("Could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-vega-spec"));
    if (!source) {
      return Promise.resolve();
    }
    var spec = JSON.parse(source.textContent);
    // Fill the column unless the spec says otherwise.
    if (spec.width === undefined && !spec.hconcat && !spec.concat && !spec.facet && !spec.repeat) {
      spec.width = "container";
    }
    var options = {
      // GOV.UK look: our font, readable axis labels, GOV.UK blue for single series.
      config: {
        font: "arial, sans-serif",
        axis: { labelFontSize: 14, titleFontSize: 16, labelColor: "#0b0c0c", titleColor: "#0b0c0c" },
        legend: { labelFontSize: 14, titleFontSize: 16 },
        title: { fontSize: 19 },
        mark: { color: "#1d70b8" },
      },
      actions: false,
      renderer: "svg",
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    };
    if (window.vega && window.vega.expressionInterpreter) {
      options.expr = window.vega.expressionInterpreter;
    }
    return window
      .vegaEmbed(element, spec, options)
      .then(function (result) {
        // The chart is a picture of the table that follows it: screen readers
        // get the table, so the SVG carries a short description only.
        var svg = element.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", element.getAttribute("data-chart-label") || "Chart");
        }
        return result;
      })
      .catch(function (error) {
        element.textContent = "";
        if (window.console) {
          window.console.error("Chart could not be drawn", error);
        }
      });
  }

  load(script.dataset.vega)
    .then(function () {
      return load(script.dataset.vegaLite);
    })
    .then(function () {
      return load(script.dataset.vegaEmbed);
    })
    .then(function () {
      return Promise.all(Array.prototype.map.call(charts, draw));
    })
    .catch(function (error) {
      if (window.console) {
        window.console.error(error);
      }
    });
})();
