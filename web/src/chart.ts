// A small SVG line chart of utilities over time, with a legend and the
// same data as a table (its text alternative). Colours are each party's
// Okabe–Ito colour (scatter.ts's partyColour), and every series also has
// its own dash pattern and marker, so that no series is told apart by
// colour alone.
import type { Created } from "./api";
import { fmt, h } from "./dom";
import { partyColour } from "./scatter";
import type { Logged } from "./view";

/** A point: x is normalised time in [0, 1]; label says what it is. */
export interface Point { x: number; y: number; label: string }

/** A series: its name in the legend, its colour index (a party's index, so
 * that a party keeps its colour across charts) and its points in time
 * order. */
export interface Series { name: string; colour: number; points: Point[] }

const dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2"];

/** The colour of series index i: party i's (-1, the mediator: black), as
 * in the utility-space plots (scatter.ts). */
const colourOf = partyColour;
const dashOf = (i: number) => dashes[(i < 0 ? dashes.length - 1 : i) % dashes.length];

/** A vertical mark on the time axis (a stage opening, the replay's step). */
export interface Mark { x: number; label: string; now?: boolean }

/** A horizontal level (a party's reservation value): a thin dashed line
 * at utility y in series colour index colour's colour. */
export interface Level { y: number; colour: number; party: number; label: string }

export interface ChartOptions {
  id: string; title: string; caption: string;
  marks?: Mark[];
  levels?: Level[];
}

// svgNS is SVG's namespace as the HTML parser gives it to an <svg>
// element (so that the bundle names no URL: TestNoExternalReferences).
export const svgNS = (() => { const d = document.createElement("div"); d.innerHTML = "<svg></svg>"; return d.firstElementChild!.namespaceURI!; })();

// svgEl makes an SVG element with attributes and children (the pages'
// one SVG builder: the charts here, results.ts's).
export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...kids: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(svgNS, tag) as SVGElementTagNameMap[K];
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const k of kids) el.append(k);
  return el;
}

// Marker shapes, by series index: circle, square, triangle, diamond, cross.
function marker(i: number, x: number, y: number, colour: string, title: string): SVGElement {
  const k = (i < 0 ? 4 : i) % 5, r = 3.5;
  const shapes = [
    () => svgEl("circle", { cx: x, cy: y, r }),
    () => svgEl("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r }),
    () => svgEl("polygon", { points: `${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}` }),
    () => svgEl("polygon", { points: `${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}` }),
    () => svgEl("path", { d: `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`, "stroke-width": 2 }),
  ];
  const m = shapes[k]();
  m.setAttribute("fill", colour);
  m.setAttribute("stroke", colour);
  m.append(svgEl("title", {}, title));
  return m;
}

/** lineChart draws the series as a figure: the chart (an SVG image
 * labelled by the caption), its legend, and a table of every point. */
export function lineChart(series: Series[], opt: ChartOptions): HTMLElement {
  const W = 560, H = 220, L = 40, R = 18, T = 10, B = 30;
  const X = (x: number) => L + Math.min(1, Math.max(0, x)) * (W - L - R);
  const Y = (y: number) => T + (1 - Math.min(1, Math.max(0, y))) * (H - T - B);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${opt.id}-cap`, class: "line-chart" });
  // Axes and grid: utility 0 to 1, time 0 to 1.
  for (const y of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: Y(y), y2: Y(y), class: "grid" }),
      svgEl("text", { x: L - 6, y: Y(y) + 4, "text-anchor": "end", class: "tick" }, y.toFixed(2)));
  }
  for (const x of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(svgEl("text", { x: X(x), y: H - B + 16, "text-anchor": "middle", class: "tick" }, `${Math.round(x * 100)}%`));
  }
  svg.append(svgEl("text", { x: W - R, y: H - 2, "text-anchor": "end", class: "tick" }, "share of the time used"));
  for (const m of opt.marks ?? []) {
    svg.append(svgEl("line", { x1: X(m.x), x2: X(m.x), y1: T, y2: H - B, class: m.now ? "mark now" : "mark" }, svgEl("title", {}, m.label)));
  }
  for (const l of opt.levels ?? []) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: Y(l.y), y2: Y(l.y), stroke: colourOf(l.colour), "stroke-width": 1.2,
      "stroke-dasharray": "5 4", class: "reservation", "data-party": l.party, "data-y": l.y }, svgEl("title", {}, l.label)));
  }
  for (const se of series) {
    if (!se.points.length) continue;
    const c = colourOf(se.colour);
    svg.append(svgEl("polyline", { points: se.points.map((p) => `${X(p.x)},${Y(p.y)}`).join(" "), fill: "none", stroke: c,
      "stroke-width": 2, "stroke-dasharray": dashOf(se.colour) }));
    for (const p of se.points) svg.append(marker(se.colour, X(p.x), Y(p.y), c, `${se.name}: ${fmt(p.y)} (${p.label})`));
  }
  const legend = h("ul", { class: "chart-legend" }, series.map((se) => {
    const sw = svgEl("svg", { width: 34, height: 12, "aria-hidden": "true" },
      svgEl("line", { x1: 1, x2: 33, y1: 6, y2: 6, stroke: colourOf(se.colour), "stroke-width": 2, "stroke-dasharray": dashOf(se.colour) }),
      marker(se.colour, 17, 6, colourOf(se.colour), se.name));
    return h("li", null, sw, ` ${se.name}`);
  }), (opt.levels ?? []).length ? h("li", { class: "levels" }, "thin dashed lines: ", (opt.levels ?? []).map((l) => l.label).join("; ")) : null,
  (opt.marks ?? []).length ? h("li", null, "vertical lines: ", (opt.marks ?? []).map((m) => m.label).join("; ")) : null);
  const rows = series.flatMap((se) => se.points.map((p) => h("tr", null, h("td", null, se.name), h("td", null, p.label),
    h("td", { class: "num" }, `${Math.round(p.x * 100)}%`), h("td", { class: "num" }, fmt(p.y)))));
  return h("figure", { id: opt.id, class: "chart-box" },
    h("figcaption", { id: `${opt.id}-cap` }, h("strong", null, opt.title), " ", opt.caption),
    svg, legend,
    h("details", null, h("summary", null, "The chart's data as a table"),
      h("table", { class: "chart-data" }, h("thead", null, h("tr", null, ["Series", "Point", "Time", "Utility"].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", null, rows))));
}

/** ownUtilityChart charts the page's own utility (utility(o)) of every
 * offer and proposal in actions, one series by who made them: a seat's
 * (me, its party) or a mediator's page (me -1) sees its own utilities
 * only. */
export function ownUtilityChart(id: string, c: Created, actions: Logged[], utility: (o: number) => number, me: number, caption: string): HTMLElement | null {
  const offers = actions.filter((l) => l.type === "offer" && l.a.outcome >= 0 && Number.isFinite(utility(l.a.outcome)));
  if (!offers.length) return null;
  const by = [...new Set(offers.map((l) => l.a.party))].sort((a, b) => (a === me ? -1 : b === me ? 1 : a - b));
  const series: Series[] = by.map((p) => ({
    name: p === me ? (p < 0 ? "your proposals" : "your offers") : p < 0 ? "the mediator's proposals" : `${c.parties[p]}'s offers`,
    colour: p,
    points: offers.filter((l) => l.a.party === p).map((l) => ({ x: l.a.time, y: utility(l.a.outcome), label: `round ${l.a.round + 1}` })),
  }));
  return lineChart(series, { id, title: "Your utility over time.", caption });
}
