// The analyst view (#/explore/ID/TOKEN, the owner's token): every outcome
// in the utility space of a chosen pair of parties, with the Pareto
// frontier, the Nash, Kalai–Smorodinsky and max-welfare points, the
// reservation lines, the outcomes that cross a red line greyed, each
// party's weights and value utilities, and the outcome under the pointer.
import { spaceOf, spacePoints, viewNegotiation, type Created, type Points, type Space, type SpaceProfile } from "./api";
import { fmt, h, label, replace } from "./dom";
import { watchLink } from "./links";
import { homeLink } from "./view";
import { choiceOf, describe } from "./outcome";
import { greys, Grid, legendItem, okabeIto, Plot, type Shape } from "./scatter";

// The plot's colours (Okabe–Ito) and shapes, named in its legend.
// (read from style.css when drawn: getters)
const colours = { get outcome() { return okabeIto.blue; }, get crossed() { return greys.light; }, get frontier() { return okabeIto.vermillion; } };
export const solutions: { key: "nash" | "kalai_smorodinsky" | "max_welfare"; name: string; shape: Shape; readonly colour: string }[] = [
  { key: "nash", name: "Nash", shape: "diamond", get colour() { return okabeIto.green; } },
  { key: "kalai_smorodinsky", name: "Kalai–Smorodinsky", shape: "triangle", get colour() { return okabeIto.orange; } },
  { key: "max_welfare", name: "max welfare", shape: "square", get colour() { return okabeIto.purple; } },
];

// crossedOf flags (1) the outcomes that hold a red-lined value: outcome o's
// value of issue i is floor(o / stride_i) mod n_i, the first issue most
// significant (outcome.ts).
function crossedOf(c: Created, sp: Space, pts: Points): Uint8Array {
  const n = pts.xs.length, flags = new Uint8Array(n);
  if (!sp.red_lines.length) return flags;
  const strides: number[] = [];
  let s = 1;
  for (let i = c.issues.length - 1; i >= 0; i--) { strides[i] = s; s *= c.issues[i].values.length; }
  const lines = sp.red_lines.map((l) => {
    const i = c.issues.findIndex((is) => is.name === l.issue);
    return { stride: strides[i], size: c.issues[i].values.length, value: c.issues[i].values.indexOf(l.value) };
  });
  for (let k = 0; k < n; k++) {
    const o = pts.outcomes ? pts.outcomes[k] : k;
    for (const l of lines) if (Math.floor(o / l.stride) % l.size === l.value) { flags[k] = 1; break; }
  }
  return flags;
}

// pairPicker is the choice of the plotted pair: two labelled selects of
// the parties (ids PREFIX-x and PREFIX-y), the horizontal and the
// vertical axis, that call onPick with both on a change.
export function pairPicker(prefix: string, parties: string[], pair: [number, number], onPick: (x: number, y: number) => void): HTMLElement {
  const pick = (axis: "x" | "y", at: number) => h("select", { id: `${prefix}-${axis}` }, parties.map((p, i) => h("option", { value: i, selected: i === at }, p)));
  const x = pick("x", pair[0]), y = pick("y", pair[1]);
  const changed = () => onPick(Number(x.value), Number(y.value));
  x.addEventListener("change", changed);
  y.addEventListener("change", changed);
  return h("div", { class: "buttons explore-pickers" },
    h("div", { class: "field" }, h("label", { for: x.id }, "Horizontal axis: utility of"), x),
    h("div", { class: "field" }, h("label", { for: y.id }, "Vertical axis: utility of"), y));
}

// explore shows negotiation id's outcome space through the owner's token.
export function explore(root: HTMLElement, id: string, token: string): () => void {
  let stopped = false;
  const page = h("div", { class: "explore-page" }, h("h1", null, "Outcome space"), h("p", { id: "explore-status", role: "status" }, "Loading…"));
  replace(root, page);
  const status = (t: string, error = false) => {
    const el = document.getElementById("explore-status");
    if (el) { el.textContent = t; el.className = error ? "error" : ""; }
  };

  (async () => {
    const v = await viewNegotiation(id, token);
    const c: Created = v.created;
    let sp = await spaceOf(id, token);
    const [a, b] = sp.negotiating.length >= 2 ? sp.negotiating : [0, 1];
    if (sp.pair[0] !== a || sp.pair[1] !== b) sp = await spaceOf(id, token, a, b);
    if (stopped) return;
    const canvas = h("canvas", { id: "explore-canvas", role: "img", tabindex: 0, "aria-describedby": "explore-summary",
      "aria-label": "The outcomes in utility space: point at one, or use the arrow keys, to see it beside the plot" });
    const overlay = h("canvas", { id: "explore-overlay", "aria-hidden": "true" });
    const hover = h("div", { id: "explore-hover", "aria-live": "polite" }, "Point at an outcome to see it.");
    replace(page,
      homeLink(),
      h("h1", null, `Outcome space · ${c.scenario}`),
      h("p", null, h("a", { href: watchLink(id, token) }, `Back to negotiation ${id}`)),
      pairPicker("explore", c.parties, sp.pair, (x, y) => load(x, y)),
      h("p", { id: "explore-status", role: "status" }, "Loading the outcomes…"),
      h("div", { class: "explore-main" },
        h("div", { class: "explore-plot" }, canvas, overlay),
        h("div", { class: "explore-side" }, h("h2", null, "Legend"), h("ul", { id: "explore-legend", class: "legend" }), hover)),
      h("p", { id: "explore-summary" }),
      h("section", { id: "explore-solutions" }),
      h("section", { id: "explore-charts" }, h("h2", null, "Preferences"), charts(c, sp.profiles)));
    const plot = new Plot(canvas, 560), top = new Plot(overlay, 560);
    let grid: Grid | null = null, pts: Points | null = null, crossed: Uint8Array | null = null;

    const draw = (c: Created, sp: Space, pts: Points, crossed: Uint8Array) => {
      const [x, y] = sp.pair;
      // Outcomes that cross no red line are drawn over those that do.
      plot.points(pts.xs, pts.ys, crossed.map((f) => 1 - f), [colours.crossed, colours.outcome]);
      plot.axes(`utility of ${c.parties[x]} →`, `utility of ${c.parties[y]} →`);
      plot.reservation(sp.reservation[0], sp.reservation[1]);
      plot.path(sp.frontier.map((p) => [p.utilities[0], p.utilities[1]]), colours.frontier, 2.5);
      for (const p of sp.frontier) plot.marker(p.utilities[0], p.utilities[1], "circle", colours.frontier, 3.5);
      const at = new Map<string, number>();
      for (const s of solutions) {
        const p = sp[s.key];
        if (!p) continue;
        const k = `${p.utilities[0].toFixed(3)},${p.utilities[1].toFixed(3)}`;
        const line = at.get(k) ?? 0;
        at.set(k, line + 1);
        plot.marker(p.utilities[0], p.utilities[1], s.shape, s.colour, 8, s.name, line);
      }
      canvas.dataset.points = String(pts.xs.length);
      canvas.dataset.frontier = String(sp.frontier.length);
      canvas.dataset.drawn = `${x},${y}`;
    };

    let loads = 0; // the latest load wins
    const load = async (x: number, y: number) => {
      if (x === y) { status("Choose two different parties.", true); return; }
      const seq = ++loads;
      status("Loading the outcomes…");
      delete canvas.dataset.drawn;
      let next: Space, got: Points;
      try {
        next = sp.pair[0] === x && sp.pair[1] === y ? sp : await spaceOf(id, token, x, y);
        got = await spacePoints(id, token, x, y, next.sampled);
      } catch (e) { if (seq === loads) status((e as Error).message, true); return; }
      if (stopped || seq !== loads) return;
      sp = next; pts = got;
      crossed = crossedOf(c, sp, pts);
      let nCrossed = 0;
      for (const f of crossed) nCrossed += f;
      draw(c, sp, pts, crossed);
      grid = new Grid(pts.xs, pts.ys);
      top.ctx.clearRect(0, 0, top.w, top.h);
      legend(sp);
      summary(c, sp, pts, nCrossed);
      status(sp.error ? `No analysis: ${sp.error}` : "");
    };

    const legend = (sp: Space) => {
      const ul = document.getElementById("explore-legend")!;
      replace(ul,
        legendItem(colours.outcome, "point", sp.sampled ? "an outcome of the sample" : "an outcome"),
        sp.red_lines.length ? legendItem(colours.crossed, "point", "crosses a red line (grey)") : null,
        legendItem(colours.frontier, "line", `Pareto frontier (${sp.frontier.length} points)`),
        solutions.filter((s) => sp[s.key]).map((s) => legendItem(s.colour, s.shape, s.name)),
        legendItem(greys.ink, "dash", "reservation values"));
    };

    const summary = (c: Created, sp: Space, pts: Points, nCrossed: number) => {
      const [x, y] = sp.pair;
      replace(document.getElementById("explore-summary")!,
        `${c.outcomes.toLocaleString("en")} outcomes`,
        sp.sampled ? `, drawn as a uniform sample of ${pts.xs.length.toLocaleString("en")}` : "",
        ` of ${c.parties[x]} (horizontal) against ${c.parties[y]} (vertical)`,
        sp.red_lines.length ? `; ${nCrossed.toLocaleString("en")}${sp.sampled ? " drawn" : ""} cross a red line (grey)` : "",
        `; the Pareto frontier has ${sp.frontier.length} points`, sp.method ? ` (${sp.method})` : "",
        `; reservation values ${fmt(sp.reservation[0])} and ${fmt(sp.reservation[1])}.`);
      const rows = solutions.map((s) => {
        const p = sp[s.key];
        return h("tr", null, h("th", { scope: "row" }, s.name),
          h("td", { class: "num" }, p ? fmt(p.utilities[0]) : "–"), h("td", { class: "num" }, p ? fmt(p.utilities[1]) : "–"),
          h("td", null, p ? describeOutcome(c, p.outcome) : "none: no outcome is individually rational"));
      });
      replace(document.getElementById("explore-solutions")!, h("h2", null, "Reference points"),
        h("div", { class: "scroll" }, h("table", { id: "solutions-table" },
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "Point"), h("th", { scope: "col" }, c.parties[x]),
            h("th", { scope: "col" }, c.parties[y]), h("th", { scope: "col" }, "Outcome"))),
          h("tbody", null, rows))));
    };

    // point shows the outcome nearest utilities (ux, uy), within 0.03.
    let cursor: [number, number] = [0.5, 0.5];
    const point = (ux: number, uy: number) => {
      if (!grid || !pts || !crossed) return;
      cursor = [ux, uy];
      const k = grid.nearest(ux, uy, 0.03);
      top.ctx.clearRect(0, 0, top.w, top.h);
      if (k < 0) return;
      const o = pts.outcomes ? pts.outcomes[k] : k;
      top.marker(pts.xs[k], pts.ys[k], "circle", "#ffffff", 7);
      const [x, y] = sp.pair;
      // The points are float32; the frontier's utilities are exact.
      const [ux2, uy2] = sp.frontier.find((p) => p.outcome === o)?.utilities ?? [pts.xs[k], pts.ys[k]];
      replace(hover, h("p", { id: "hover-outcome" }, `Outcome ${o}: ${c.parties[x]} ${fmt(ux2)}, ${c.parties[y]} ${fmt(uy2)}`,
        crossed[k] ? " · crosses a red line" : ""),
      h("dl", { class: "outcome", id: "hover-values" }, choiceOf(c.issues, o).map((v, i) => [h("dt", null, label(c.issues[i].name)), h("dd", null, label(c.issues[i].values[v]))])));
    };
    canvas.addEventListener("mousemove", (ev) => point(...plot.utilityAt(ev)));
    // From the keyboard, the arrow keys move a cursor over the plot (with
    // Shift in finer steps).
    canvas.addEventListener("keydown", (ev) => {
      const d = ev.shiftKey ? 0.005 : 0.02;
      const moves: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
      const m = moves[ev.key];
      if (!m) return;
      ev.preventDefault();
      point(Math.min(1, Math.max(0, cursor[0] + m[0])), Math.min(1, Math.max(0, cursor[1] + m[1])));
    });
    await load(sp.pair[0], sp.pair[1]);
  })().catch((e) => status((e as Error).message, true));
  return () => { stopped = true; };
}

// describeOutcome is "issue: value; ..." for outcome o, in words.
const describeOutcome = (c: Created, o: number) => describe(c.issues, o);

// charts shows each party's issue weights and its value utilities as
// bars (text beside each, so that no value depends on the bar alone).
function charts(c: Created, profiles: SpaceProfile[]) {
  const bar = (u: number, colour: string) => {
    const el = h("span", { class: "bar" }); // styled through the CSSOM: the CSP refuses style attributes
    el.style.width = `${Math.round(Math.max(0, Math.min(1, u)) * 100)}%`;
    el.style.background = colour;
    return el;
  };
  return h("div", { class: "charts" }, profiles.map((p) => h("div", { class: "chart", id: `chart-${p.party}` },
    h("h3", null, p.name, ` · reservation ${fmt(p.reservation)}`),
    !p.additive || !p.weights || !p.evaluations ? h("p", null, "Not linear-additive: its utility has no weights to chart.") :
      h("table", { class: "bars" }, h("caption", { class: "sr-only" }, `${p.name}'s weights and value utilities`),
        h("tbody", null, c.issues.map((is, i) => [
          h("tr", { class: "weight" }, h("th", { scope: "row" }, is.name.replace(/_/g, " ")), h("td", { class: "num" }, fmt(p.weights![i])),
            h("td", { class: "barcell" }, bar(p.weights![i], greys.muted))),
          is.values.map((v, k) => h("tr", { class: "value" }, h("td", null, v.replace(/_/g, " ")), h("td", { class: "num" }, fmt(p.evaluations![i][k])),
            h("td", { class: "barcell" }, bar(p.evaluations![i][k], okabeIto.sky)))),
        ]))))));
}
