// The watch page: a negotiation through an observer's or the owner's
// lens, live, as its events arrive: the stages, every action, the ending
// and, for the owner, the seats and every party's result.
import { follow, viewNegotiation, type Created, type Ended, type Event, type Result, type Stage } from "./api";
import { fmt, h, replace } from "./dom";
import { exploreLink, watchLink } from "./links";
import { trajectory, type Trajectory } from "./trajectory";
import { actionTable, actionWord, ending, loggedOf, outcomeList, partyName, type Logged } from "./view";

interface Watched {
  created?: Created; stages: Stage[]; actions: Logged[]; ended?: Ended; results: Result[];
  setup?: { seats?: { kind: string; spec?: string }[]; seed?: number }; lens: string; link: string;
}

const mechanisms: Record<string, string> = { alternating_offers: "alternating offers", mediated: "mediation" };

// watch shows the negotiation id through token's lens. Once it has
// ended, a replay control steps through its actions; step (from the
// permalink #/watch/ID/TOKEN/STEP) opens the replay at that action.
export function watch(root: HTMLElement, id: string, token: string, step?: number): () => void {
  const st: Watched = { stages: [], actions: [], results: [], lens: "", link: "connecting" };
  let at = step; // the actions shown in the replay (undefined: all, live)
  const page = h("div", { class: "watch-page" });
  replace(root, page);
  viewNegotiation(id, token).then((v) => { st.lens = v.lens || ""; render(); }, () => { /* the stream reports errors */ });

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
    const name = (p: number) => (p < 0 ? "a mediator without interests" : c.parties[p] ?? String(p));
    const last = st.actions[st.actions.length - 1]?.a;
    replace(page,
      h("h1", null, `Negotiation ${id} · ${c.scenario}`),
      h("p", { id: "watch-status" }, st.ended ? "Ended" : "Running", last ? ` · round ${last.round + 1}` : "",
        ` · ${c.parties.join(", ")} · ${c.outcomes.toLocaleString("en")} outcomes`, st.lens ? ` · the ${st.lens}'s view` : ""),
      st.setup?.seats ? h("p", { id: "seats" }, "Seats: ", st.setup.seats.map((s, i) =>
        `${c.parties[i]}: ${s.kind === "remote" ? "remote (a person or an agent)" : s.spec}`).join("; "),
        st.setup.seed !== undefined ? ` · seed ${st.setup.seed}` : "") : null,
      st.stages.length ? [h("h2", null, "Stages"), h("ol", { id: "stages" }, st.stages.map((s) =>
        h("li", null, `${s.name}: ${mechanisms[s.mechanism] || s.mechanism} between ${s.participants.map(name).join(" and ")}`,
          s.mechanism === "mediated" ? `, mediated by ${name(s.mediator)}` : "", `, ${s.rounds} rounds`)))] : null,
      st.ended ? h("section", { id: "outcome" }, ending(c, st.ended, -1),
        st.results.length ? h("ul", { id: "results" }, st.results.slice().sort((a, b) => a.party - b.party).map((r) =>
          h("li", null, `${c.parties[r.party]}: utility ${fmt(r.utility)}`, r.discounted !== r.utility ? ` (discounted ${fmt(r.discounted)})` : ""))) : null) : null,
      replay(c),
      trajectories(c),
      h("h2", null, "Actions"), actionTable(c, at === undefined ? st.actions : st.actions.slice(0, at), { me: -1 }));
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
      case "stage": if (e.stage) st.stages.push(e.stage); break;
      case "offer": case "accept": case "walk_away": {
        const l = loggedOf(e);
        if (!l || !e.action) return; // actions only: the owner's votes stay out of the replay
        st.actions.push(l);
        break;
      }
      case "ended": st.ended = e.ended; break;
      case "result": if (e.result) st.results.push(e.result); break;
      default: return;
    }
    render();
  };
  const stop = follow(id, token, onEvent, (s) => { if (s !== "error") st.link = s; render(); });
  render();
  return () => { stop(); traj?.stop(); };
}
