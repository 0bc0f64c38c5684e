// The offer trajectories on the owner's watch page: each party's offers
// as a connected path in its own colour in the utility space of a pair of
// parties (the negotiating pair at first, any pair on request), over the
// Pareto frontier and the Nash point, the newest step animated as it
// arrives, and the agreement marked. The watch
// page hands it the actions it shows (all of them live, the first k at
// replay step k).
import { spaceOf, spacePoints, type Created, type Space } from "./api";
import { h, replace } from "./dom";
import { pairPicker, solutions } from "./explore";
import { greys, legendItem, okabeIto, partyColour, Plot } from "./scatter";
import type { Logged } from "./view";

export interface Trajectory {
  el: HTMLElement;
  // show draws the offers among actions and, when agreement >= 0, the
  // agreement.
  show(actions: Logged[], agreement: number): void;
  stop(): void;
}

// trajectory makes the panel for negotiation id (the owner's token).
export function trajectory(id: string, token: string, c: Created): Trajectory {
  const canvas = h("canvas", { id: "trajectory-canvas", role: "img", "aria-label": "Offers in the utility space" });
  const legend = h("ul", { class: "legend", id: "trajectory-legend" });
  const note = h("p", { id: "trajectory-note", class: "hint" }, "Loading the utility space…");
  const picker = h("div", { id: "trajectory-pair" }); // the pair's choice, once the space is known
  const el = h("section", { id: "trajectory", "aria-labelledby": "trajectory-h" },
    h("h2", { id: "trajectory-h" }, "Offers in the utility space"), picker, note,
    h("div", { class: "explore-main" }, h("div", { class: "explore-plot" }, canvas), h("div", { class: "explore-side" }, legend)));
  const plot = new Plot(canvas, 420);
  const known = new Map<number, [number, number]>(); // outcome → utilities of the pair
  let sp: Space | null = null, actions: Logged[] = [], agreement = -1, shown = 0, fetching = false, stopped = false, frame = 0, animate = false;
  let pairs = 0; // the latest pair chosen wins

  // usePair plots the offers in the utility space of parties x and y.
  const usePair = async (x: number, y: number) => {
    if (x === y) { replace(note, "Choose two different parties."); return; }
    const seq = ++pairs;
    let next: Space;
    try {
      next = sp && sp.pair[0] === x && sp.pair[1] === y ? sp : await spaceOf(id, token, x, y);
    } catch (e) { if (seq === pairs) replace(note, `No utility space: ${(e as Error).message}`); return; }
    if (stopped || seq !== pairs) return;
    sp = next; known.clear(); fetching = false;
    replace(note, `${c.parties[x]}'s utility (horizontal) against ${c.parties[y]}'s (vertical).`);
    fetchMissing();
    render();
  };
  spaceOf(id, token).then((s) => {
    const [a, b] = s.negotiating.length >= 2 ? s.negotiating : [0, 1];
    if (s.pair[0] === a && s.pair[1] === b) sp = s;
    replace(picker, pairPicker("trajectory", c.parties, [a, b], usePair));
    return usePair(a, b);
  }, (e) => { replace(note, `No utility space: ${(e as Error).message}`); });

  // fetchMissing reads the utilities of the offers not yet known, then
  // draws again.
  const fetchMissing = () => {
    if (!sp || fetching) return;
    const missing = [...new Set(actions.filter((l) => l.a.outcome >= 0 && !known.has(l.a.outcome)).map((l) => l.a.outcome))]
      .concat(agreement >= 0 && !known.has(agreement) ? [agreement] : []).slice(0, 1000);
    if (!missing.length) return;
    fetching = true;
    const seq = pairs; // an answer for a pair no longer shown is dropped
    spacePoints(id, token, sp.pair[0], sp.pair[1], false, missing).then((p) => {
      if (seq !== pairs) return;
      missing.forEach((o, i) => known.set(o, [p.xs[i], p.ys[i]]));
      fetching = false;
      if (!stopped) { fetchMissing(); render(); }
    }, (e) => { if (seq === pairs) { fetching = false; replace(note, `No utilities: ${(e as Error).message}`); } });
  };

  // draw paints the panel; frac animates the newest offer's last step.
  const draw = (frac: number) => {
    if (!sp) return;
    const [x, y] = sp.pair;
    plot.clear();
    plot.axes(`utility of ${c.parties[x]} →`, `utility of ${c.parties[y]} →`);
    plot.reservation(sp.reservation[0], sp.reservation[1]);
    plot.path(sp.frontier.map((p) => [p.utilities[0], p.utilities[1]]), greys.grey, 1.5, [2, 3]);
    if (sp.nash) plot.marker(sp.nash.utilities[0], sp.nash.utilities[1], "diamond", solutions[0].colour, 6, "Nash");
    const paths = new Map<number, [number, number][]>();
    let drawn = 0, newest = -2;
    for (const l of actions) {
      if (l.type !== "offer" || l.a.outcome < 0) continue;
      const u = known.get(l.a.outcome);
      if (!u) continue;
      if (!paths.has(l.a.party)) paths.set(l.a.party, []);
      paths.get(l.a.party)!.push(u);
      drawn++;
      newest = l.a.party;
    }
    const parties = [...paths.keys()].sort((p, q) => p - q);
    for (const p of parties) {
      const pts = paths.get(p)!, f = p === newest ? frac : 1;
      plot.path(pts, partyColour(p), 2.5, [], f);
      pts.forEach((u, i) => {
        if (i < pts.length - 1 || f >= 1) plot.marker(u[0], u[1], "circle", partyColour(p), 4);
      });
    }
    const agreed = agreement >= 0 ? known.get(agreement) : undefined;
    if (agreed && frac >= 1) plot.marker(agreed[0], agreed[1], "star", okabeIto.yellow, 10, "agreement");
    replace(legend,
      parties.map((p) => legendItem(partyColour(p), "line", p < 0 ? "the mediator's proposals" : `${c.parties[p]}'s offers`)),
      legendItem(greys.grey, "dash", "Pareto frontier"),
      sp.nash ? legendItem(solutions[0].colour, "diamond", "Nash") : null,
      legendItem(greys.ink, "dash", "reservation values"),
      agreement >= 0 ? legendItem(okabeIto.yellow, "star", "agreement") : null);
    if (frac >= 1) {
      canvas.dataset.offers = String(drawn);
      canvas.dataset.pair = `${x},${y}`;
      canvas.dataset.agreement = agreed ? String(agreement) : "";
    }
  };

  // render draws the panel, animating the newest offer once when asked
  // (animate) and its utilities are known.
  const render = () => {
    cancelAnimationFrame(frame);
    const last = actions[actions.length - 1];
    const ready = last && last.type === "offer" && known.has(last.a.outcome);
    if (!animate || !ready || matchMedia("(prefers-reduced-motion: reduce)").matches) {
      if (ready || !last || last.type !== "offer") animate = false;
      draw(1);
      return;
    }
    animate = false;
    const t0 = performance.now();
    const step = (t: number) => {
      const f = Math.min(1, Math.max(0, (t - t0) / 300));
      draw(f);
      if (f < 1 && !stopped) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
  };

  const show = (acts: Logged[], agreed: number) => {
    animate = acts.length === shown + 1 && acts[acts.length - 1].type === "offer";
    actions = acts; agreement = agreed; shown = acts.length;
    if (!sp) return;
    fetchMissing();
    render();
  };

  return { el, show, stop: () => { stopped = true; cancelAnimationFrame(frame); } };
}
