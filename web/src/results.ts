// The results pages (parley serve --results): the stored tournaments and
// experiments, each one's leaderboard or arms as a chart of means with
// their 95% intervals (and the same numbers in a table), its paired
// tests, and its runs, each with a link to its replay on the watch page.
import { ApiError, listResults, replayRun, resultReport, resultRuns, type Estimate, type ResultReport, type ResultSet, type StoredRun } from "./api";
import { svgEl } from "./chart";
import { fmt, h, replace } from "./dom";
import { watchLink } from "./links";
import { adminToken, setAdminToken } from "./store";
import { homeLink } from "./view";

export const resultsLink = (name?: string) => "#/results" + (name === undefined ? "" : "/" + encodeURIComponent(name));
const replayLink = (name: string, run: number) => `${resultsLink(name)}/replay/${run}`;

// results shows the list of databases (no name), one database's results,
// or (run set) starts the replay of one of its runs and opens it.
export function results(root: HTMLElement, name?: string, run?: number): () => void {
  let stopped = false;
  const page = h("div", { class: "results-page" });
  replace(root, homeLink(), page);
  const fail = (what: string, e: unknown) => {
    if (stopped) return;
    replace(page, h("h1", null, "Results"), h("p", { class: "error", role: "alert" }, `${what}: ${(e as Error).message}`),
      e instanceof ApiError && e.status === 401 ? adminForm(() => results(root, name, run)) : null,
      h("p", null, h("a", { href: resultsLink() }, "All results"), " · ", h("a", { href: "#/" }, "Home")));
  };
  if (name === undefined) {
    replace(page, h("h1", null, "Results"), h("p", { role: "status" }, "Loading…"));
    listResults(adminToken()).then((sets) => { if (!stopped) showList(page, sets); }, (e) => fail("Cannot list the results", e));
  } else if (run !== undefined) {
    replace(page, h("h1", null, `Replaying run ${run} of ${name}`), h("p", { role: "status" }, "Running it again…"));
    replayRun(adminToken(), name, run).then((r) => { if (!stopped) location.replace(watchLink(r.id, r.token)); },
      (e) => fail(`Cannot replay run ${run} of ${name}`, e));
  } else {
    replace(page, h("h1", null, `Results · ${name}`), h("p", { role: "status" }, "Loading…"));
    resultReport(adminToken(), name).then((r) => { if (!stopped) showReport(page, r); }, async (e) => {
      // 409: an experiment with runs missing has no report yet; its runs
      // are there.
      const set = e instanceof ApiError && e.status === 409 ? (await listResults(adminToken()).catch(() => [])).find((s) => s.name === name) : undefined;
      if (stopped) return;
      if (set) showReport(page, { ...set, report: null }, (e as Error).message);
      else fail(`Cannot read ${name}`, e);
    });
  }
  return () => { stopped = true; };
}

// adminForm asks for the admin token, then calls again.
function adminForm(again: () => void) {
  const input = h("input", { id: "results-admin", type: "password", autocomplete: "off", value: adminToken() });
  return h("p", null, h("label", { for: "results-admin" }, "Admin token "), input, " ",
    h("button", { type: "button", onclick: () => { setAdminToken(input.value.trim()); again(); } }, "Save"));
}

const summary = (s: ResultSet) =>
  `${s.kind === "experiment" ? "Experiment" : "Tournament"} · protocol ${s.protocol} · ${s.done} of ${s.total} runs stored · scenario${s.scenarios.length > 1 ? "s" : ""} ${s.scenarios.join(", ")}`;

function showList(page: HTMLElement, sets: ResultSet[]) {
  replace(page, h("h1", null, "Results"),
    sets.length === 0 ? h("p", null, "This server shows no results: start it with parley serve --results FILE.db (a database of parley tournament or parley experiment).") :
      h("div", { class: "scroll" }, h("table", { id: "result-sets" },
        h("thead", null, h("tr", null, ["Database", "Kind", "Protocol", "Runs stored", "Scenarios", "Entrants or arms"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", null, sets.map((s) => h("tr", null,
          h("td", null, h("a", { href: resultsLink(s.name) }, s.name)), h("td", null, s.kind), h("td", null, s.protocol),
          h("td", { class: "num" }, `${s.done} of ${s.total}`), h("td", null, s.scenarios.join(", ")),
          h("td", null, (s.arms?.length ? s.arms : s.entrants || []).join(", "))))))),
    h("p", null, h("a", { href: "#/" }, "Home")));
}

// A row of a chart: a label and its estimate.
interface Row { label: string; est: Estimate }

const ci = (e: Estimate) => `${fmt(e.mean)} [${fmt(e.low)}, ${fmt(e.high)}]`;

// svg is chart.ts's SVG builder.
const svg = svgEl;

// axis is the axis of a chart: [0, 1] in steps of 0.2 when every
// interval lies in it (utilities, rates), else from 0 (or below) to the
// highest bound, in steps of 1, 2, 2.5 or 5 times a power of ten.
function axis(rows: Row[]): { a: number; b: number; step: number } {
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  const lo = Math.min(0, ...rows.map((r) => finite(r.est.low))), hi = Math.max(...rows.map((r) => finite(r.est.high)));
  if (lo >= 0 && hi <= 1) return { a: 0, b: 1, step: 0.2 };
  const raw = (hi - lo) / 5 || 1, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  return { a: Math.floor(lo / step) * step, b: Math.ceil(hi / step) * step, step };
}

// ciChart draws each row's mean as a dot and its 95% interval as a
// whisker, on one axis, in one colour (readable to colour-blind eyes: no
// meaning rests on hue). The figure's table holds the same numbers.
function ciChart(id: string, caption: string, rows: Row[]) {
  const { a, b, step } = axis(rows);
  // The labels' column is as wide as the longest label (about 7.5 px a
  // character at 13 px).
  const left = Math.min(360, 16 + 7.5 * Math.max(...rows.map((r) => r.label.length))), right = 24, top = 8, rowH = 30, axisH = 34;
  const width = left + 480;
  const height = top + rows.length * rowH + axisH;
  const x = (v: number) => left + ((Math.max(a, Math.min(b, v)) - a) / (b - a)) * (width - left - right);
  const chart = svg("svg", { id, class: "ci-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": caption });
  // The fewest decimals that write every tick exactly (0.25 needs two).
  const decimals = [0, 1, 2, 3, 4].find((d) => Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) ?? 4;
  for (let k = 0; a + k * step <= b + step / 1e6; k++) {
    const v = a + k * step, px = x(v);
    chart.append(svg("line", { x1: px, x2: px, y1: top, y2: top + rows.length * rowH, class: "grid" }),
      svg("text", { x: px, y: top + rows.length * rowH + 18, "text-anchor": "middle", class: "tick" }, v.toFixed(decimals)));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2, e = r.est;
    chart.append(svg("g", { class: "row", "data-label": r.label, "data-mean": e.mean, "data-low": e.low, "data-high": e.high },
      svg("title", {}, `${r.label}: ${ci(e)}, n = ${e.n}`),
      svg("text", { x: left - 10, y: y + 5, "text-anchor": "end", class: "label" }, r.label),
      svg("line", { x1: x(e.low), x2: x(e.high), y1: y, y2: y, class: "whisker" }),
      svg("line", { x1: x(e.low), x2: x(e.low), y1: y - 7, y2: y + 7, class: "whisker" }),
      svg("line", { x1: x(e.high), x2: x(e.high), y1: y - 7, y2: y + 7, class: "whisker" }),
      svg("circle", { cx: x(e.mean), cy: y, r: 5.5, class: "mean" })));
  });
  return h("figure", { class: "chart" }, chart, h("figcaption", null, caption, " (dot: mean; whiskers: 95% interval)."));
}

// table is a table with a header row; cells that are numbers are right
// aligned.
function table(id: string, head: string[], rows: (string | number | Node)[][]) {
  return h("div", { class: "scroll" }, h("table", { id },
    h("thead", null, h("tr", null, head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, rows.map((r) => h("tr", null, r.map((c, i) => i === 0 ? h("th", { scope: "row" }, c) : h("td", { class: "num" }, c)))))));
}

const pStr = (p: number) => (p < 0.001 ? "<0.001" : p.toFixed(3));

function showReport(page: HTMLElement, r: ResultReport, missing?: string) {
  const rep = r.report;
  const parts: (Node | null)[] = [];
  if (missing !== undefined) {
    parts.push(h("p", { class: "warning", role: "status" }, `No report yet: ${missing}`));
  } else if (r.kind === "experiment") {
    const arms: any[] = rep.arms || [];
    const rows = (f: (a: any) => Estimate) => arms.map((a) => ({ label: a.name, est: f(a) }));
    // Each cell's parameters (a sweep's --set, a sequencing's --factor),
    // in the order the report names them.
    const params: string[] = (rep.parameters || []).map((p: any) => p.name);
    for (const a of arms) for (const k of Object.keys(a.params || {})) if (!params.includes(k)) params.push(k);
    // The variant, when the cells' names do not say it (a sweep over
    // several variants names them; a sequencing's arm starts with it).
    const variantCol = params.length > 0 && rep.experiment === "sweep" && arms.some((a) => a.variant);
    const swept = (rep.parameters || []).map((p: any) => `${p.name} (${p.values.join(", ")})`).join(", ");
    const what = rep.experiment === "sequencing" ? `Sequencing of ${rep.scenario}` :
      rep.experiment === "sweep" ? `Sweep of ${rep.scenario}${swept ? ` over ${swept}` : ""}` : `Experiment on ${rep.scenario}`;
    parts.push(h("p", null, `${what}: ${rep.runs} runs per arm on the same seeds (seed ${rep.seed}); negotiators ${(rep.negotiators || []).join(", ")}`,
      rep.mediating_party ? `; ${rep.mediating_party} mediates` : "", `; baseline ${rep.baseline}.`),
      rep.information ? h("p", { class: "hint", id: "information" }, rep.information) : null,
      r.missing ? h("p", { class: "warning", id: "missing", role: "note" }, `Not shown: ${r.missing}`) : null,
      h("h2", null, "Arms"),
      ciChart("agreement-chart", "Agreement rate per arm, Wilson 95% interval", rows((a) => a.agreement_rate)),
      ciChart("welfare-chart", "Welfare (sum of the negotiators' utilities) per arm, t 95% interval", rows((a) => a.welfare)),
      table("arms", ["Arm", ...(variantCol ? ["Variant"] : []), ...params, "Runs", "Agreement rate", "Ratified rate", "Welfare", "Rounds to agreement",
        ...(rep.negotiators || []).map((p: string) => `Utility ${p}`)],
        arms.map((a) => [a.name, ...(variantCol ? [a.variant || "default"] : []), ...params.map((k) => (a.params && k in a.params ? String(a.params[k]) : "")), a.runs,
          ci(a.agreement_rate), ci(a.ratified_rate), ci(a.welfare),
          a.rounds_to_agreement.n ? ci(a.rounds_to_agreement) : "n/a",
          ...(rep.negotiators || []).map((p: string) => (a.utility[p] ? ci(a.utility[p]) : "n/a"))])));
    const cs: any[] = rep.comparisons || [];
    if (cs.length) {
      parts.push(h("details", { id: "comparisons-box" }, h("summary", null, `Paired tests (${cs.length}; Holm-adjusted)`),
        table("comparisons", ["Arm", "Versus", "Metric", "Test", "Difference [95% CI]", "Pairs", "p (Holm)"],
          cs.map((c) => [c.arm, c.baseline, c.metric + (c.party ? ` (${c.party})` : ""), c.test, ci(c.difference), c.difference.n, pStr(c.p_holm)]))));
    }
  } else if (rep.mediators?.length) {
    const ms: any[] = rep.mediators;
    parts.push(h("h2", null, "Mediators' leaderboard"),
      ciChart("leaderboard-chart", "Mean welfare per mediator, 95% interval", ms.map((m) => ({ label: m.mediator, est: m.welfare }))),
      table("leaderboard", ["Mediator", "Rank", "Runs", "Agreement rate", "Welfare", "Distance to Nash", "Distance to Pareto", "Fairness", "Rounds to agreement", "Errors"],
        ms.map((m) => [m.mediator, m.rank, m.runs, ci(m.agreement_rate), ci(m.welfare), m.nash_distance.n ? ci(m.nash_distance) : "n/a",
          m.pareto_distance.n ? ci(m.pareto_distance) : "n/a", m.fairness.n ? ci(m.fairness) : "n/a",
          m.rounds_to_agreement.n ? ci(m.rounds_to_agreement) : "n/a", m.errors])));
  } else {
    const lb: any[] = rep.leaderboard || [];
    parts.push(h("p", null, `${rep.runs} of ${rep.planned} runs stored, ${rep.agreements} agreements, ${rep.errors} errors; the statistics count ${rep.distinct_runs} distinct runs.`),
      h("h2", null, "Leaderboard"),
      ciChart("leaderboard-chart", "Mean utility per agent, t 95% interval", lb.map((s) => ({ label: s.agent, est: s.utility }))),
      table("leaderboard", ["Agent", "Rank", "Seats", "Utility", "Advantage", "Agreement rate", "Distance to Pareto", "Distance to Nash", "Welfare", "Errors"],
        lb.map((s) => [s.agent, s.rank, s.seats, ci(s.utility), ci(s.advantage), ci(s.agreement_rate),
          s.metrics_seats ? fmt(s.pareto_distance) : "n/a", s.nash_seats ? fmt(s.nash_distance) : "n/a", fmt(s.welfare), s.errors])));
    const pw: any[] = rep.pairwise || [];
    if (pw.length) {
      parts.push(h("h2", null, "Pairwise tests"), h("p", { class: "hint" }, "Wilcoxon signed-rank on utility over paired runs, Holm-adjusted."),
        table("pairwise", ["A", "B", "Pairs", "Mean difference (A − B)", "p (Holm)", "Significant"],
          pw.map((c) => [c.a, c.b, c.pairs, fmt(c.mean_diff), pStr(c.p_holm), c.significant ? "yes" : "no"])));
    }
  }
  const runsBox = h("section", { id: "runs-box", "aria-labelledby": "runs-h" });
  replace(page, h("h1", null, `Results · ${r.name}`), h("p", { id: "results-summary" }, summary(r)), ...parts, runsBox,
    h("p", null, h("a", { href: resultsLink() }, "All results"), " · ", h("a", { href: "#/" }, "Home")));
  showRuns(runsBox, r, 0);
}

const pageSize = 25;

// showRuns shows a page of the stored runs from offset, each with its
// replay link.
async function showRuns(box: HTMLElement, r: ResultReport, offset: number) {
  let page: { total: number; runs: StoredRun[] };
  try {
    page = await resultRuns(adminToken(), r.name, offset, pageSize);
  } catch (e) {
    replace(box, h("h2", { id: "runs-h" }, "Runs"), h("p", { class: "error", role: "alert" }, `Cannot read the runs: ${(e as Error).message}`));
    return;
  }
  const last = Math.min(offset + page.runs.length, page.total);
  const where = (s: StoredRun) => (s.arm ? `${s.arm} #${s.rep}` : `${s.scenario} #${s.rep}`);
  // An experiment's arm names its mediator: the seats are the parties'.
  const who = (s: StoredRun) => s.agents.map((a, i) => a || (s.voters?.[i] ? `votes ${s.voters[i]}` : "–")).join(" · ") +
    (s.mediator && r.kind !== "experiment" ? ` · mediator ${s.mediator}` : "");
  replace(box, h("h2", { id: "runs-h" }, "Runs"),
    h("p", { class: "hint" }, `Runs ${page.total ? offset + 1 : 0}–${last} of ${page.total} stored. A replay runs the run again from its seed, as parley replay does, and shows it on the watch page.`),
    table("runs", ["Run", "Replay", r.kind === "experiment" ? "Arm, run" : "Scenario, rep", "Seats (by party)", "Ended", "Rounds", "Utilities (by party)"],
      page.runs.map((s) => [String(s.job_id), h("a", { href: replayLink(r.name, s.job_id), class: "replay", "aria-label": `Replay run ${s.job_id}` }, "replay"),
        where(s), who(s), s.reason + (s.stage ? ` (${s.stage})` : ""), s.rounds, s.utilities.map(fmt).join(" · ")])),
    h("div", { class: "buttons" },
      h("button", { type: "button", id: "runs-prev", disabled: offset === 0, onclick: () => showRuns(box, r, Math.max(0, offset - pageSize)) }, "Previous runs"),
      h("button", { type: "button", id: "runs-next", disabled: last >= page.total, onclick: () => showRuns(box, r, offset + pageSize) }, "Next runs")));
}
