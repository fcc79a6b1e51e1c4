// The network map in the browser (Cytoscape.js, vendored). The server has laid it out and
// measured it (natverk/graph.py): this only draws the positions it sent and opens a node's
// page on a click. The same data is in the table under the map, for keyboard and
// screen-reader users; without JavaScript the page is the table.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("natverkskarta");
  if (!box || typeof window.cytoscape !== "function") return;
  box.style.height = window.innerWidth < 576 ? "60vh" : "70vh";
  fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((data) => draw(box, data))
    .catch(() => {
      box.textContent = "Kartan kunde inte visas. Tabellen nedan har samma uppgifter.";
      box.style.height = "auto";
      box.classList.add("p-3");
    });
});

// Okabe & Ito colours, as in the report's charts; the shape tells the kind too.
const KIND = {
  omrade: { color: "#000000", shape: "star", size: 34 },
  avdelning: { color: "#56B4E9", shape: "rectangle", size: 24 },
  aktor: { color: "#0072B2", shape: "ellipse", size: 20 },
  forum: { color: "#E69F00", shape: "round-rectangle", size: 26 },
  projekt: { color: "#CC79A7", shape: "diamond", size: 28 },
  kontakt: { color: "#555555", shape: "ellipse", size: 10 },
};
const FRESH = "#009E73";
const STALE = "#D55E00";

function draw(box, data) {
  const elements = [];
  for (const n of data.nodes) {
    const k = KIND[n.kind] || KIND.aktor;
    elements.push({
      group: "nodes",
      data: {
        id: n.id,
        label: n.label,
        url: n.url,
        color: k.color,
        shape: k.shape,
        size: k.size + (n.central ? 12 : 0),
        stale: n.stale ? 1 : 0,
      },
      position: { x: n.x, y: n.y },
    });
  }
  for (const e of data.edges) {
    elements.push({
      group: "edges",
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        width: Math.min(1 + e.weight * 2, 9),
        color: e.stale ? STALE : FRESH,
        stale: e.stale ? 1 : 0,
      },
    });
  }
  const cy = window.cytoscape({
    container: box,
    elements,
    layout: { name: "preset", fit: true, padding: 20 },
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          shape: "data(shape)",
          width: "data(size)",
          height: "data(size)",
          label: "data(label)",
          "font-size": 9,
          color: "#1a1a1a",
          "text-valign": "bottom",
          "text-margin-y": 2,
          "text-wrap": "ellipsis",
          "text-max-width": 120,
          "min-zoomed-font-size": 7,
        },
      },
      { selector: "node[stale = 1]", style: { "border-width": 3, "border-color": STALE, "border-style": "dashed" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "data(color)", opacity: 0.75, "curve-style": "haystack" } },
      { selector: "edge[stale = 1]", style: { "line-style": "dashed", "curve-style": "straight" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#1a1a1a" } },
    ],
  });
  cy.on("tap", "node", (evt) => {
    const url = evt.target.data("url");
    if (url) window.location.assign(url);
  });
  box.dataset.ready = "1";
}
