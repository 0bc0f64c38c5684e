// The human seat: a person plays one remote seat with the seat's token.
// The page knows only what the seat's lens shows: its own session (its
// utilities, reservation value and red lines), its turns, the public
// actions and the ending.
import { Answering, type Created, type Ended, type Event, type Result, type Session, type Stage, type Turn } from "./api";
import { ownUtilityChart } from "./chart";
import { fmt, h, replace } from "./dom";
import { best, choiceOf, outcomeIndex, redLinesCrossed, redLineText, reservationAt } from "./outcome";
import { actionTable, ending, explainUtility, homeLink, issueControls, followPage, loggedOf, outcomeList, secondsLeft, type Logged } from "./view";

interface State {
  created?: Created; session?: Session; turn?: Turn; turnAt: number;
  actions: Logged[]; ended?: Ended; result?: Result;
  stage?: Stage; link: string; error: string;
}

export function seat(root: HTMLElement, id: string, token: string): () => void {
  const st: State = { actions: [], turnAt: 0, link: "connecting", error: "" };
  let choice: number[] | null = null; // the offer builder's values
  let confirmWalk = false;
  const head = h("header", { class: "seat-head" });
  const builder = h("section", { id: "builder", "aria-labelledby": "builder-h" });
  const table = h("section", { id: "table", "aria-labelledby": "table-h" });
  const offers = h("section", { id: "offers", "aria-labelledby": "offers-h" });
  const end = h("section", { id: "outcome", "aria-live": "polite" });
  const live = h("p", { id: "announce", class: "sr-only", "aria-live": "assertive" });
  const cols = h("div", { class: "cols" }, h("div", { class: "col" }, table, builder), h("div", { class: "col" }, offers));
  const explain = explainUtility("you"); // kept across renders, so that it stays open
  replace(root, h("div", { class: "seat-page" }, homeLink(), head, end,
    cols, live));

  const me = () => st.session?.party ?? -1;
  const utility = (o: number) => (st.session && o >= 0 ? st.session.utilities[o] : NaN);
  const nowTime = () => st.turn?.time ?? st.actions[st.actions.length - 1]?.a.time ?? 0;
  const deadlineRounds = () => st.session?.clock?.rounds || st.created?.deadline || 0;

  // warnings about an outcome for this seat: below the reservation value
  // now, or across a red line.
  const warnings = (o: number): string[] => {
    const s = st.session, c = st.created;
    if (!s || !c || o < 0) return [];
    const w: string[] = [];
    const r = reservationAt(s, nowTime());
    if (s.utilities[o] < r) w.push(`Your utility ${fmt(s.utilities[o])} is below your reservation value ${fmt(r)}: walking away pays you more.`);
    for (const l of redLinesCrossed(c.issues, choiceOf(c.issues, o), s.red_lines)) w.push(`It crosses your red line ${l}.`);
    return w;
  };
  // crossesOwn reports whether o crosses one of the seat's red lines: the
  // protocols end the negotiation with an error when a party accepts such
  // an outcome, so the page does not let it.
  const crossesOwn = (o: number) => {
    const s = st.session, c = st.created;
    return !!s && !!c && o >= 0 && redLinesCrossed(c.issues, choiceOf(c.issues, o), s.red_lines).length > 0;
  };
  const blockedNote = (o: number) => crossesOwn(o) ? h("p", { id: "accept-blocked", class: "hint" },
    "You cannot accept it: it crosses your red line, and accepting would end the negotiation with an error.") : null;
  const warnBox = (o: number, what: string) => {
    const w = warnings(o);
    return w.length ? h("div", { class: "warning", role: "alert" }, h("strong", null, `Warning (${what}): `), w.join(" ")) : null;
  };

  const answering = new Answering(id, token, st, (ok) => { if (ok) confirmWalk = false; render(); });
  const send = (action: Record<string, unknown>, say: string) => { answering.send(action).then((ok) => { if (ok) live.textContent = say; }); };

  // timeLeft counts down the turn's timeout, when it has one.
  const timeLeft = () => {
    const t = st.turn;
    if (!t || !(t.timeout_ms > 0)) return "No time limit on this turn.";
    return `${secondsLeft(t, st.turnAt)} s left to answer.`;
  };

  const renderHead = () => {
    const s = st.session, c = st.created;
    const name = s ? s.name : "your seat";
    const rounds = deadlineRounds();
    const t = st.turn;
    let clock = "";
    if (t) {
      // the deadline (the stage's last round) and what is left of it
      const after = rounds ? rounds - t.round - 1 : -1;
      clock = `Round ${t.round + 1}${rounds ? ` of ${rounds}` : ""}`
        + (after >= 0 ? ` · ${after === 0 ? "the last round" : `${after} round${after === 1 ? "" : "s"} left after this one`}` : "")
        + ` · ${Math.round((1 - t.time) * 100)}% of the time left`;
    } else if (st.actions.length) { const a = st.actions[st.actions.length - 1].a; clock = `Round ${a.round + 1}${rounds ? ` of ${rounds}` : ""}`; }
    replace(head,
      h("h1", null, `You are ${name}`, c ? ` · ${c.scenario} (${id})` : ""),
      h("p", { id: "clock" }, clock, st.stage ? ` · stage ${st.stage.name} (${stageWords()})` : ""),
      t ? h("p", { id: "turn", class: "turn" }, turnWords(t), " ", h("span", { id: "timer" }, timeLeft()),
        t.timeout_ms > 0 ? h("span", { class: "hint" }, " If the time runs out, the negotiation ends.") : null)
        : h("p", { id: "turn" }, st.ended ? "The negotiation is over." : waitingWords()),
      s ? h("p", { id: "reservation" }, `Your reservation value (what walking away pays you): ${fmt(reservationAt(s, nowTime()))}`,
        s.red_lines?.length ? ` · your red lines: ${s.red_lines.map(redLineText).join(", ")}` : "") : null,
      s ? explain : null,
      st.error ? h("p", { class: "error", role: "alert" }, st.error) : null,
      st.link === "closed" ? h("p", { class: "error", role: "alert" }, "Connection lost: reconnecting…") : null);
  };

  // The others in the seat's stage, by name.
  const others = () => {
    const c = st.created, sg = st.stage;
    if (!c) return [];
    const ps = sg ? sg.participants : c.parties.map((_, i) => i);
    return ps.filter((p) => p !== me()).map((p) => c.parties[p] ?? String(p));
  };
  const mediatorName = () => {
    const sg = st.stage, c = st.created;
    return sg && sg.mediator >= 0 && c ? `, ${c.parties[sg.mediator]}` : "";
  };
  const mediated = () => st.stage?.mechanism === "mediated";
  // stageWords says what the stage is, from the seat's side.
  const stageWords = () => mediated()
    ? `mediation: you vote on the proposals of the mediator${mediatorName()}`
    : `direct talks with ${others().join(" and ") || "the other side"}`;
  // turnWords says what the seat may do now; waitingWords whom it waits for.
  const turnWords = (t: Turn) => t.kind === "vote" ? "Your turn: vote on the mediator's proposal below."
    : t.standing < 0 ? "Your turn: make the first offer below, or walk away."
    : "Your turn: accept the offer on the table, make a counter-offer below, or walk away.";
  const waitingWords = () => mediated()
    ? `Waiting for the mediator${mediatorName()}, or for the other votes…`
    : `Waiting for ${others().join(" and ") || "the other side"} to answer…`;

  const renderTable = () => {
    const t = st.turn, c = st.created;
    if (!t || !c) { replace(table); return; }
    if (t.kind === "vote") {
      const o = t.standing;
      replace(table, h("h2", { id: "table-h", "data-step": t.step }, t.final ? "Final vote on the text" : "Vote on the mediator's proposal"),
        outcomeList("proposal", c.issues, o),
        h("p", null, "Your utility of it: ", h("strong", { id: "proposal-utility" }, fmt(utility(o))),
          t.text !== undefined && t.text >= 0 && t.text !== o ? ` (of the current text: ${fmt(utility(t.text))})` : ""),
        warnBox(o, "accepting"), blockedNote(o),
        h("div", { class: "buttons" },
          h("button", { type: "button", class: "primary", id: "vote-accept", disabled: crossesOwn(o), "aria-describedby": crossesOwn(o) ? "accept-blocked" : null,
            onclick: () => send({ action: "accept" }, "You voted to accept.") }, "Accept the proposal"),
          h("button", { type: "button", id: "vote-reject", onclick: () => send({ action: "reject" }, "You voted to reject.") }, "Reject it"),
          h("button", { type: "button", class: "danger", id: "vote-leave", onclick: () => send({ action: "walk_away" }, "You left the talks.") }, "Leave the talks")));
      return;
    }
    if (t.kind !== "act") { replace(table, h("p", { class: "error" }, `This page cannot play a turn of kind ${t.kind} yet.`)); return; }
    if (t.standing < 0) { replace(table, h("p", { "data-step": t.step }, "Nothing on the table yet: make the first offer below.")); return; }
    const who = t.proposer < 0 ? "the mediator" : c.parties[t.proposer] ?? "the other side";
    replace(table, h("h2", { id: "table-h", "data-step": t.step }, `On the table, from ${who}`),
      outcomeList("standing", c.issues, t.standing),
      h("p", null, "Your utility of it: ", h("strong", { id: "standing-utility" }, fmt(utility(t.standing)))),
      warnBox(t.standing, "accepting"), blockedNote(t.standing),
      h("button", { type: "button", class: "primary", id: "accept", disabled: answering.busy || crossesOwn(t.standing),
        "aria-describedby": crossesOwn(t.standing) ? "accept-blocked" : null,
        onclick: () => send({ action: "accept" }, "You accepted.") }, "Accept this offer"));
  };

  const renderBuilder = () => {
    const c = st.created, s = st.session, t = st.turn;
    // (none in a mediated stage: the seat votes, it makes no offers)
    if (!c || !s || st.ended || mediated()) { replace(builder); return; }
    if (!choice) choice = choiceOf(c.issues, best(s.utilities));
    const o = outcomeIndex(c.issues, choice);
    const canAct = !!t && t.kind === "act" && !answering.busy;
    const onTable = t && t.kind === "act" ? t.standing : -1;
    const theirs: number[] = onTable >= 0 ? choiceOf(c.issues, onTable) : [];
    replace(builder, h("h2", { id: "builder-h" }, "Your counter-offer"),
      h("p", { class: "hint", id: "builder-hint" }, "It starts from the outcome best for you: change the issues you are willing to concede, watching your utility below, then make the offer."),
      issueControls(c.issues, choice, theirs, "on the table", (i, v) => { choice![i] = v; render(); }),
      h("p", { class: "utility" }, "Your utility of this offer: ", h("strong", { id: "offer-utility" }, fmt(s.utilities[o])),
        h("meter", { min: 0, max: 1, value: s.utilities[o], "aria-label": "your utility of this offer" })),
      warnBox(o, "this offer"),
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "primary", id: "offer", disabled: !canAct,
          onclick: () => send({ action: "offer", outcome: o }, "You made an offer.") }, "Make this offer"),
        confirmWalk ? [
          h("span", null, `Walk away and take your reservation value ${fmt(reservationAt(s, nowTime()))}? `),
          h("button", { type: "button", class: "danger", id: "walk-confirm", onclick: () => send({ action: "walk_away" }, "You walked away.") }, "Yes, walk away"),
          h("button", { type: "button", id: "walk-cancel", onclick: () => { confirmWalk = false; render(); } }, "Cancel"),
        ] : h("button", { type: "button", class: "danger", id: "walk", disabled: !t || answering.busy,
          onclick: () => { confirmWalk = true; render(); document.getElementById("walk-confirm")?.focus(); } }, "Walk away")));
  };

  const renderOffers = () => {
    const c = st.created;
    if (!c) { replace(offers); return; }
    replace(offers, h("h2", { id: "offers-h" }, mediated() ? "Offers, proposals and votes so far" : "Offers so far"), actionTable(c, st.actions, {
      me: me(), utility,
      edit: st.ended || mediated() ? undefined : (o, round, _type, party) => party === me() ? null : h("button", { type: "button", class: "small", "aria-label": `Start your counter-offer from this offer of round ${round + 1}`,
        onclick: () => { choice = choiceOf(c.issues, o); render(); document.getElementById("offer-utility")?.scrollIntoView(); } }, "Edit"),
    }), ownUtilityChart("own-utility-chart", c, st.actions, utility, me(), "Your utility of each offer and proposal (no one else's), as time runs out; utility from 0 to 1."));
  };

  const renderEnd = () => {
    const e = st.ended, c = st.created;
    if (!e || !c) { replace(end); return; }
    replace(end, ending(c, e, me()),
      st.result ? h("p", { id: "result" }, `Your result: utility ${fmt(st.result.utility)}`,
        st.result.discounted !== st.result.utility ? ` (after discounting for the time taken: ${fmt(st.result.discounted)})` : "") : null,
      h("p", { id: "next" }, "What next: ", h("a", { href: "#/" }, "the home page"),
        " lists this negotiation (with a link to watch its replay, when this browser started it) and starts another."));
  };

  const render = () => { cols.classList.toggle("over", !!st.ended); renderHead(); renderEnd(); renderTable(); renderBuilder(); renderOffers(); };

  const onEvent = (e: Event) => {
    switch (e.type) {
      case "created": st.created = e.created; break;
      case "session": if (e.session && e.session.role !== "mediator") st.session = e.session; break;
      case "stage": st.stage = e.stage; break;
      case "turn": st.turn = e.turn; st.turnAt = Date.now(); st.error = ""; live.textContent = "Your turn."; break;
      case "offer": case "accept": case "walk_away": case "reject": {
        const l = loggedOf(e);
        if (!l) return;
        st.actions.push(l);
        // the seat's own action or vote answers its turn (another's, such
        // as the mediator's proposal, may be logged after the seat's turn)
        const own = l.a.party === me() || l.type.startsWith("vote_");
        if (st.turn && own && l.a.step >= st.turn.step) st.turn = undefined;
        break;
      }
      case "ended": st.ended = e.ended; st.turn = undefined; live.textContent = "The negotiation is over."; break;
      case "result": st.result = e.result; break;
      default: return;
    }
    render();
  };
  return followPage(id, token, st, onEvent, render, timeLeft);
}

