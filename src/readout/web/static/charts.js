// The person page's two charts, drawn with uPlot (static/vendor/uplot) from the page's own
// JSON (#chart-data): the same appearances the table below lists and the API returns.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function seconds(isoDay) { return Date.parse(isoDay + "T00:00:00Z") / 1000; }

  // Appearances counted per calendar month, months without any shown as zero.
  function perMonth(appearances) {
    var counts = {};
    appearances.forEach(function (a) { var m = a.date.slice(0, 7); counts[m] = (counts[m] || 0) + 1; });
    var months = Object.keys(counts).sort();
    if (!months.length) { return [[], []]; }
    var xs = [], ys = [], y = +months[0].slice(0, 4), m = +months[0].slice(5, 7);
    var last = months[months.length - 1];
    for (;;) {
      var key = y + "-" + (m < 10 ? "0" : "") + m;
      xs.push(seconds(key + "-01")); ys.push(counts[key] || 0);
      if (key >= last) { break; }
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    return [xs, ys];
  }

  // A little room either side, so the first and last bar or point is not cut by the frame,
  // and a range of a few months when every appearance falls on the same day.
  function padded(xs) {
    var min = xs[0], max = xs[xs.length - 1];
    var pad = Math.max(16 * 86400, (max - min) * 0.03);
    return [min - pad, max + pad];
  }

  function width(el) { return Math.max(320, el.clientWidth || 600); }

  function drawAppearances(el, appearances) {
    var series = perMonth(appearances);
    if (!series[0].length) { el.textContent = "No dated appearances."; return; }
    new uPlot({
      width: width(el), height: 200,
      scales: { x: { time: true, range: padded(series[0]) }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { label: "appearances", values: function (u, ticks) { return ticks.map(function (t) { return t % 1 ? "" : t; }); } }],
      series: [{}, { label: "appearances", stroke: "#2f5d8a", fill: "rgba(47,93,138,0.35)",
                     paths: uPlot.paths.bars({ size: [0.8, 40] }), points: { show: false } }],
      legend: { show: false }
    }, series, el);
  }

  function drawRank(el, appearances) {
    var ranked = appearances.filter(function (a) { return a.order !== null; });
    if (!ranked.length) { el.textContent = "Never listed with an order."; return; }
    ranked.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
    var xs = ranked.map(function (a) { return seconds(a.date); });
    var ys = ranked.map(function (a) { return a.order; });
    var worst = Math.max.apply(null, ys);
    new uPlot({
      width: width(el), height: 200,
      // Inverted: first in the list is at the top, as protocol order reads.
      scales: { x: { time: true, range: padded(xs) }, y: { dir: -1, range: [0.5, worst + 0.5] } },
      axes: [{}, { label: "place", values: function (u, ticks) { return ticks.map(function (t) { return t % 1 ? "" : t; }); } }],
      series: [{}, { label: "place", stroke: "#8a3b2f", width: 2, points: { show: true, size: 7 } }],
      legend: { show: false }
    }, [xs, ys], el);
  }

  drawAppearances(document.getElementById("appearance-chart"), data.appearances);
  drawRank(document.getElementById("rank-chart"), data.appearances);
})();
