// The watch page: a negotiation through an observer's or the owner's
// lens, live, as its events arrive: the stages, every action, the ending
// and, for the owner, the seats and every party's result.
import { follow, viewNegotiation, type Created, type Ended, type Event, type Result, type Stage } from "./api";
import { fmt, h, replace } from "./dom";
import { actionTable, ending, type Logged } from "./view";

interface Watched {
  created?: Created; stages: Stage[]; actions: Logged[]; ended?: Ended; results: Result[];
  setup?: { seats?: { kind: string; spec?: string }[]; seed?: number }; lens: string; link: string;
}

const mechanisms: Record<string, string> = { alternating_offers: "alternating offers", mediated: "mediation" };

export function watch(root: HTMLElement, id: string, token: string): () => void {
  const st: Watched = { stages: [], actions: [], results: [], lens: "", link: "connecting" };
  const page = h("div", { class: "watch-page" });
  replace(root, page);
  viewNegotiation(id, token).then((v) => { st.lens = v.lens || ""; render(); }, () => { /* the stream reports errors */ });

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
      h("h2", null, "Actions"), actionTable(c, st.actions, { me: -1 }));
  };

  const onEvent = (e: Event) => {
    switch (e.type) {
      case "created": st.created = e.created; break;
      case "setup": st.setup = (e as any).setup; break;
      case "stage": if (e.stage) st.stages.push(e.stage); break;
      case "offer": case "accept": case "walk_away": case "proposal": case "mediator_exit":
        if (e.action) st.actions.push({ type: e.type, a: e.action });
        break;
      case "ended": st.ended = e.ended; break;
      case "result": if (e.result) st.results.push(e.result); break;
      default: return;
    }
    render();
  };
  const stop = follow(id, token, onEvent, (s) => { if (s !== "error") st.link = s; render(); });
  render();
  return stop;
}
