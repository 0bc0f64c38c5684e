// The watch page: a negotiation through an observer's or the owner's
// lens, live, as its events arrive: the stage timeline with what each
// stage carried over, every action, the mediator's proposals (and, for
// the owner, the votes on them), the ending and, for the owner, the seats,
// every party's utility over time and every party's result.
import { spaceOf, spacePoints, viewNegotiation, type Created, type Ended, type Event, type Result, type Stage, type Vote } from "./api";
import { lineChart, svgNS, type Level, type Mark, type Series } from "./chart";
import { fmt, h, label, replace } from "./dom";
import { exploreLink, watchLink } from "./links";
import { valuesOf } from "./outcome";
import { trajectory, type Trajectory } from "./trajectory";
import { actionTable, actionWord, ending, explainUtility, followPage, homeLink, infoWords, loggedOf, mechanismWords, outcomeList, partyName, ruleWords, type Logged } from "./view";

// At is an event placed among the actions: at is the number of actions
// logged before it, so that the replay at step k shows it when at <= k.
interface At<T> { v: T; at: number }

interface Watched {
  created?: Created; stages: At<Stage>[]; actions: Logged[]; votes: At<Vote>[]; ended?: Ended; results: Result[];
  setup?: { seats?: { kind: string; spec?: string }[]; seed?: number }; lens: string; link: string;
  // The owner's: every party's utility by outcome, and reservation value
  // (GET /space's profiles).
  utilities: Map<number, number[]>;
  reservations?: number[];
}

const carryWords: Record<string, string> = {
  best_acceptable: "the best offer every side found acceptable", partial_issues: "the best offer every side found acceptable, or without one the last offer made, with the issues both sides' last offers agreed on locked",
};

// lensWords say what each lens of the watch page shows.
const lensWords: Record<string, string> = {
  owner: "As the negotiation's owner you see everything: the seats, every party's utilities and result, and the votes.",
  observer: "As an observer you see what anyone may see: the stages, the actions and the ending, without anyone's utilities or votes.",
};

// watch shows the negotiation id through token's lens. Once it has
// ended, a replay control steps through its actions; step (from the
// permalink #/watch/ID/TOKEN/STEP) opens the replay at that action.
export function watch(root: HTMLElement, id: string, token: string, step?: number): () => void {
  const st: Watched = { stages: [], actions: [], votes: [], results: [], lens: "", link: "connecting", utilities: new Map() };
  let at = step; // the actions shown in the replay (undefined: all, live)
  let fetching = false, stopped = false;
  const page = h("div", { class: "watch-page" });
  replace(root, page);
  viewNegotiation(id, token).then((v) => { st.lens = v.lens || ""; fetchUtilities(); fetchReservations(); render(); }, () => { /* the stream reports errors */ });

  // fetchReservations reads every party's reservation value, for the
  // utility chart's dashed lines (the owner's lens only).
  const fetchReservations = () => {
    if (st.lens !== "owner") return;
    spaceOf(id, token).then((sp) => {
      st.reservations = sp.profiles.slice().sort((a, b) => a.party - b.party).map((p) => p.reservation);
      if (!stopped) renderChart();
    }, () => { /* the chart goes without them */ });
  };

  // fetchUtilities asks for every party's utilities of the outcomes
  // offered that are not known yet, a pair of parties at a time (GET
  // /space/points): the owner's lens only (no other lens may read them,
  // and none asks).
  const fetchUtilities = async () => {
    const c = st.created;
    if (st.lens !== "owner" || !c || fetching || stopped) return;
    const want = [...new Set(st.actions.filter(({ a }) => a.outcome >= 0 && !st.utilities.has(a.outcome)).map(({ a }) => a.outcome))].slice(0, 1000);
    if (!want.length) return;
    fetching = true;
    try {
      const n = c.parties.length, us = want.map(() => new Array<number>(n));
      for (let x = 0; x < n; x += 2) {
        const y = x + 1 < n ? x + 1 : 0;
        const p = await spacePoints(id, token, x, y, false, want);
        want.forEach((_, k) => { us[k][x] = p.xs[k]; us[k][y] = p.ys[k]; });
      }
      want.forEach((o, k) => st.utilities.set(o, us[k]));
    } catch { /* the chart stays as it is */ }
    fetching = false;
    if (stopped) return;
    renderChart(); // the chart alone: the rest of the page stays as it is
    fetchUtilities();
  };

  // The utility chart's place on the page, drawn again alone when
  // utilities arrive.
  const chartSlot = h("div", { id: "utility-slot" });
  const explain = explainUtility("each party"); // kept across renders, so that it stays open
  const shownCount = () => (at === undefined ? st.actions.length : Math.min(at, st.actions.length));
  const renderChart = () => { if (st.created) replace(chartSlot, utilityChart(st.created, shownCount())); };

  let traj: Trajectory | undefined; // the owner's offer trajectories (trajectory.ts)
  const trajectories = (c: Created) => {
    if (st.lens !== "owner") return null;
    traj ??= trajectory(id, token, c);
    const all = at === undefined || at >= st.actions.length;
    traj.show(all ? st.actions : st.actions.slice(0, at), all && st.ended ? st.ended.agreement : -1);
    return [h("p", null, h("a", { id: "explore-link", href: exploreLink(id, token) }, "Explore the outcome space")), traj.el];
  };
  const render = () => {
    const c = st.created;
    if (!c) {
      replace(page, h("h1", null, `Negotiation ${id}`), h("p", { role: "status" }, st.link === "closed" ? "Cannot connect: retrying…" : "Loading…"));
      return;
    }
    const n = shownCount();
    renderChart();
    const shown = st.actions.slice(0, n);
    const last = shown[shown.length - 1]?.a;
    // A control kept across renders (the trajectories' pair chooser, the
    // explanation) keeps the keyboard focus as events arrive.
    const focused = document.activeElement instanceof HTMLElement && page.contains(document.activeElement) ? document.activeElement : null;
    replace(page,
      homeLink(),
      h("h1", null, `Negotiation ${id} · ${c.scenario}`),
      h("p", { id: "watch-status" }, st.ended ? "Ended" : "Running", last ? ` · round ${last.round + 1}` : "",
        ` · ${c.parties.join(", ")} · ${c.outcomes.toLocaleString("en")} outcomes`, st.lens ? ` · the ${st.lens}'s view` : ""),
      st.lens ? h("p", { id: "lens-hint", class: "hint" }, lensWords[st.lens] ?? "") : null,
      st.setup?.seats ? h("p", { id: "seats" }, "Seats: ", st.setup.seats.map((s, i) =>
        `${c.parties[i]}: ${s.kind === "remote" ? "remote (a person or an agent)" : s.spec}`).join("; "),
        st.setup.seed !== undefined ? ` · seed ${st.setup.seed}` : "") : null,
      timeline(c, n),
      st.ended ? h("section", { id: "outcome" }, ending(c, st.ended, -1),
        st.results.length ? h("ul", { id: "results" }, st.results.slice().sort((a, b) => a.party - b.party).map((r) =>
          h("li", null, `${c.parties[r.party]}: utility ${fmt(r.utility)}`, r.discounted !== r.utility ? ` (after discounting for the time taken: ${fmt(r.discounted)})` : ""))) : null) : null,
      replay(c),
      chartSlot,
      trajectories(c),
      proposals(c, n),
      h("h2", null, "Actions"), actionTable(c, shown, { me: -1 }));
    if (focused?.isConnected && document.activeElement !== focused) focused.focus();
  };

  const name = (c: Created, p: number) => (p < 0 ? "a mediator without interests" : c.parties[p] ?? String(p));

  // stageAt returns the index (in st.stages) of the stage that the first
  // n actions reach.
  const stageAt = (n: number) => {
    let k = -1;
    st.stages.forEach((s, i) => { if (s.at <= n) k = i; });
    return k;
  };

  // timeline shows the stages opened by the first n actions, in order,
  // each with its rounds on the plan's clock, what the stage before it
  // carried over, and where the negotiation is (or the replay's step).
  const timeline = (c: Created, n: number) => {
    const opened = st.stages.filter((s) => s.at <= n || n === st.actions.length);
    if (!opened.length) return null;
    const now = stageAt(n);
    const lastA = n > 0 ? st.actions[n - 1].a : undefined;
    const over = !!st.ended && n === st.actions.length;
    const total = Math.max(c.deadline, ...opened.map((s) => s.v.offset + s.v.rounds));
    const items: HTMLElement[] = [];
    opened.forEach((s, i) => {
      const sg = s.v;
      if (i > 0 || sg.carried) items.push(carryItem(c, sg));
      const next = opened[i + 1];
      const acts = st.actions.slice(s.at, next ? next.at : n).filter((l) => l.a.stage === sg.index);
      const used = next ? next.v.offset - sg.offset : acts.length ? acts[acts.length - 1].a.round + 1 : 0;
      const isNow = i === now;
      const status = isNow && !over ? (lastA && lastA.stage === sg.index ? `now: round ${lastA.round + 1} of ${sg.rounds}` : "now: opening")
        : isNow ? `the negotiation ended here, in round ${used} of ${sg.rounds}` : `${used} of its ${sg.rounds} rounds used`;
      items.push(h("li", { class: "stage" + (isNow ? " now" : ""), "data-stage": sg.index, "aria-current": isNow ? "step" : null },
        h("strong", null, `Stage ${sg.index + 1}, ${sg.name}: `), `${mechanismWords[sg.mechanism] || sg.mechanism} between ${sg.participants.map((p) => name(c, p)).join(" and ")}`,
        sg.mechanism === "mediated" ? `, mediated by ${name(c, sg.mediator)}${sg.rule ? ` (rule ${sg.rule}: ${ruleWords[sg.rule] ?? sg.rule}; information ${sg.info}: ${infoWords[sg.info ?? ""] ?? sg.info})` : ""}` : "",
        `; rounds ${sg.offset + 1}–${sg.offset + sg.rounds} of the plan's ${total}`,
        h("span", { class: "stage-status" }, ` · ${status}`)));
    });
    return h("section", { id: "timeline-box", "aria-labelledby": "timeline-h" },
      h("h2", { id: "timeline-h" }, "Stages"),
      timelineBar(opened.map((s) => s.v), total, now, lastA),
      h("ul", { id: "timeline", class: "timeline" }, items));
  };

  const carryItem = (c: Created, sg: Stage) => {
    const k = sg.carried;
    if (!k) return h("li", { class: "carry", id: `carry-${sg.index}` }, `Into ${sg.name}: nothing carried over.`);
    return h("li", { class: "carry", id: `carry-${sg.index}` },
      h("strong", null, `Carried over into ${sg.name}`), ` (${carryWords[k.carry] ?? k.carry}): `,
      k.outcome >= 0 ? [sg.mechanism === "mediated" ? "the starting text " : "the standing offer ", h("span", { class: "carried-outcome" }, valuesOf(c.issues, k.outcome))]
        : "a text of its own",
      k.locked?.length ? [", with ", h("span", { class: "locked" }, k.locked.map(label).join(", ")), ` locked`] : "", ".");
  };

  // timelineBar draws the stages on the plan's clock, with the current
  // round; the list below it says the same in words.
  const timelineBar = (stages: Stage[], total: number, now: number, lastA?: { stage: number; round: number }) => {
    const W = 560, H = 34;
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("class", "timeline-bar");
    svg.setAttribute("aria-hidden", "true");
    const x = (r: number) => (r / Math.max(total, 1)) * (W - 2) + 1;
    const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
      const e = document.createElementNS(svgNS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text) e.textContent = text;
      svg.appendChild(e);
    };
    el("rect", { x: 1, y: 4, width: W - 2, height: 22, class: "bar-rest" });
    stages.forEach((sg) => {
      el("rect", { x: x(sg.offset), y: 4, width: x(sg.offset + sg.rounds) - x(sg.offset), height: 22, class: `bar-${sg.mechanism}` });
      el("text", { x: x(sg.offset) + 5, y: 20, class: "bar-label" }, sg.name);
    });
    const sg = stages[now];
    if (sg) {
      const r = lastA && lastA.stage === sg.index ? sg.offset + lastA.round + 1 : sg.offset;
      el("line", { x1: x(r), x2: x(r), y1: 0, y2: H, class: "bar-now" });
    }
    return svg;
  };

  // utilityChart: every party's utility of each offer and proposal over
  // time (the owner's lens only), up to the replay's step.
  const utilityChart = (c: Created, n: number) => {
    if (st.lens !== "owner") return null;
    const shown = st.actions.slice(0, n).filter((l) => l.type === "offer" && l.a.outcome >= 0);
    // Party i's line: its utility of the offers and proposals made to it,
    // in the stages it takes part in (or mediates), not its own offers.
    const takesPart = (i: number, stage: number) => {
      const sg = st.stages.find((s) => s.v.index === stage)?.v;
      return !sg || sg.participants.includes(i) || sg.mediator === i;
    };
    const series: Series[] = c.parties.map((p, i) => ({
      name: `${p}'s utility`, colour: i,
      points: shown.filter((l) => l.a.party !== i && takesPart(i, l.a.stage) && st.utilities.has(l.a.outcome)).map((l) => ({
        x: l.a.time, y: st.utilities.get(l.a.outcome)![i], label: `round ${l.a.round + 1}, ${partyName(c, l.a.party, -1)} ${actionWord(l.type, l.a.party)}` })),
    }));
    const marks: Mark[] = st.stages.filter((s) => s.v.offset > 0 && s.at <= n).map((s) => ({ x: s.v.offset / Math.max(c.deadline, 1), label: `${s.v.name} opens` }));
    const cur = n > 0 ? st.actions[n - 1].a : undefined;
    if (at !== undefined && cur) marks.push({ x: cur.time, label: `the replay's step ${n}`, now: true });
    const levels: Level[] = (st.reservations ?? []).map((r, i) => ({ y: r, colour: i, party: i, label: `${c.parties[i]}'s reservation value ${fmt(r)}` }));
    return h("section", { id: "utility-box", "aria-labelledby": "utility-h" },
      h("h2", { id: "utility-h" }, "Utility over time"),
      lineChart(series, {
        id: "utility-chart", title: "Each party's utility of the offers and proposals made to it.",
        caption: `Time runs left to right over the plan's ${c.deadline} rounds; utility from 0 to 1${levels.length ? "; a thin dashed line in a party's colour is its reservation value (what no agreement pays it)" : ""}. The owner's view only.`,
        marks, levels,
      }),
      explain);
  };

  // proposals lists the mediator's proposals in the mediated stages, with
  // the votes on each as far as the lens shows them (the owner's: every
  // vote; an observer's: none), up to the replay's step.
  const proposals = (c: Created, n: number) => {
    const med = st.stages.filter((s) => s.v.mechanism === "mediated");
    if (!med.length) return null;
    const votes = st.votes.filter((v) => v.at <= n);
    const rows: HTMLElement[] = [];
    st.actions.slice(0, n).forEach((l, i) => {
      if (l.a.party >= 0 || l.type !== "offer") return;
      // The votes logged after this proposal and before the next action;
      // a party voting a second time votes in the final vote on the text.
      const mine = votes.filter((v) => v.at === i + 1);
      const ballots: Vote[][] = [[]];
      for (const { v } of mine) {
        if (ballots[ballots.length - 1].some((b) => b.party === v.party)) ballots.push([]);
        ballots[ballots.length - 1].push(v);
      }
      rows.push(h("li", { class: "proposal", "data-step": l.a.step },
        h("span", null, `Round ${l.a.round + 1}: the mediator proposed `), h("span", { class: "proposal-values" }, valuesOf(c.issues, l.a.outcome)),
        st.lens === "owner" ? ballots.filter((b) => b.length).map((b, k) => h("p", { class: "votes" },
          k > 0 ? "Final vote on the text: " : "Votes: ", b.map((v) => `${c.parties[v.party]} ${v.accept ? "accepted" : "rejected"}`).join(", "), ".",
          k === 0 ? adoption(l.a.stage, b) : "")) : null));
    });
    const stage = med[med.length - 1].v;
    return h("section", { id: "proposals-box", "aria-labelledby": "proposals-h" },
      h("h2", { id: "proposals-h" }, "The mediator's proposals", st.lens === "owner" ? " and the votes" : ""),
      st.lens === "owner" ? null : h("p", { class: "hint", id: "votes-hidden" }, "The votes are private to each voter and the mediator (as its information level allows): this view does not show them."),
      stage.carried && stage.carried.outcome >= 0 ? h("p", null, "The starting text: ", valuesOf(c.issues, stage.carried.outcome), ".") : null,
      rows.length ? h("ol", { id: "proposals" }, rows) : h("p", null, "No proposals yet."));
  };

  // adoption says whether a proposal with votes b became the text, by
  // its stage's rule (under rule mediator the mediator decides when not
  // every participant accepted it, and the log does not say).
  const adoption = (stage: number, b: Vote[]) => {
    const sg = st.stages.find((s) => s.v.index === stage)?.v;
    if (!sg || b.length < sg.participants.length) return "";
    const yes = b.filter((v) => v.accept).length, n = sg.participants.length;
    if (yes === n || sg.rule === "majority" && 2 * yes > n) return " It became the text.";
    return sg.rule === "mediator" ? " The mediator decided whether it became the text." : " The text stayed as it was.";
  };

  // replay is the control that steps through a finished negotiation's
  // actions, with a permalink to the step shown.
  const replay = (c: Created) => {
    const n = st.actions.length;
    if (!st.ended || n === 0) return null;
    const k = Math.min(at ?? n, n);
    const go = (v: number) => {
      at = Math.max(0, Math.min(n, v));
      history.replaceState(null, "", watchLink(id, token) + "/" + at);
      render();
      document.getElementById("replay")?.focus();
    };
    const slider = h("input", { id: "replay", type: "range", min: 0, max: n, step: 1, value: k });
    slider.addEventListener("input", () => go(Number(slider.value)));
    const cur = k > 0 ? st.actions[k - 1] : null;
    return h("section", { id: "replay-box", "aria-labelledby": "replay-h" },
      h("h2", { id: "replay-h" }, "Replay"),
      h("p", { class: "hint" }, "The negotiation is over: step through its actions with the slider, Previous and Next; the stages, the chart and the lists below follow the step. The permalink opens this step."),
      h("div", { class: "buttons" },
        h("label", { for: "replay" }, `Action ${k} of ${n}`), slider,
        h("button", { type: "button", id: "replay-prev", disabled: k === 0, onclick: () => go(k - 1) }, "Previous"),
        h("button", { type: "button", id: "replay-next", disabled: k === n, onclick: () => go(k + 1) }, "Next"),
        h("a", { id: "permalink", href: watchLink(id, token) + "/" + k }, "Permalink to this step")),
      cur ? h("p", { id: "replay-action" }, `Round ${cur.a.round + 1}: ${partyName(c, cur.a.party, -1)} ${actionWord(cur.type, cur.a.party)}`) : h("p", { id: "replay-action" }, "Before the first action."),
      cur && cur.a.outcome >= 0 ? outcomeList("replay-outcome", c.issues, cur.a.outcome) : null);
  };

  const onEvent = (e: Event) => {
    switch (e.type) {
      case "created": st.created = e.created; break;
      case "setup": st.setup = (e as any).setup; break;
      case "stage": if (e.stage) st.stages.push({ v: e.stage, at: st.actions.length }); break;
      case "offer": case "accept": case "walk_away": case "reject": {
        if (e.vote) { st.votes.push({ v: e.vote, at: st.actions.length }); break; } // the owner's: votes stay out of the actions
        const l = loggedOf(e);
        if (!l || !e.action) return;
        st.actions.push(l);
        fetchUtilities();
        break;
      }
      case "ended": st.ended = e.ended; break;
      case "result": if (e.result) st.results.push(e.result); break;
      default: return;
    }
    render();
  };
  const stopFollow = followPage(id, token, st, onEvent, render);
  return () => { stopped = true; stopFollow(); traj?.stop(); };
}
