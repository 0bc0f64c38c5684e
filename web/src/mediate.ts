// The mediator's console: a person in the mediator's chair of a mediated
// stage composes a single negotiating text issue by issue, sends it to a
// vote and sees the votes, or steps back. The page knows what the
// mediator's lens shows: its own session (its utilities if it is a party,
// and the voters' declared profiles as the stage's information level
// allows), its turns, the votes it may see, and the public events.
import { Answering, assistOf, type Assist, type Created, type Ended, type Event, type Session, type Stage, type Turn } from "./api";
import { ownUtilityChart } from "./chart";
import { fmt, h, replace } from "./dom";
import { choiceOf, outcomeIndex, redLinesCrossed } from "./outcome";
import { actionTable, ending, explainUtility, homeLink, followPage, issueControls, loggedOf, outcomeList, partyName, ruleWords, secondsLeft, type Logged } from "./view";
import { valuesOf } from "./outcome";

interface Declared { party: number; utilities: number[]; reservation: number; red_lines?: { issue: string; value: string }[] }

interface Ballot { accept: boolean; feedback?: number; leave?: boolean }

interface Mediation {
  created?: Created; session?: Session & { declared?: Declared[] }; stage?: Stage;
  turn?: Turn & { votes?: Ballot[] }; turnAt: number; actions: Logged[]; ended?: Ended; error: string; link: string;
}

const infoWords: Record<string, string> = {
  nothing: "you see no votes and no preferences", votes: "you see the votes",
  declared: "you see the votes and the preferences the parties declared to you, with noise added (their “declared” utilities below: not necessarily their true ones)",
  full: "you see the votes and the parties' true preferences",
};

// mediatorNames name the built-in mediators of the assist panel.
const mediatorNames: Record<string, string> = { nash: "Nash-seeking (nash)", hillclimb: "hill-climbing (hillclimb)" };

// actionWords say what a suggestion other than a proposal is.
const actionWords: Record<string, string> = {
  final_vote: "Call the final vote on the current text.", walk_away: "Step back.",
  accept: "Adopt your proposal as the text.", reject: "Keep the current text.",
};

export function mediate(root: HTMLElement, id: string, token: string): () => void {
  const st: Mediation = { actions: [], turnAt: 0, error: "", link: "connecting" };
  let choice: number[] | null = null, seeded = false;
  // The step of the turn on which the person called the final vote: on the
  // next turn, the console says that it did not pass.
  let called = -1, failedAt = -1;
  let confirmLeave = false;
  const head = h("header", { class: "seat-head" });
  const end = h("section", { id: "outcome", "aria-live": "polite" });
  const text = h("section", { id: "text", "aria-labelledby": "text-h" });
  const composer = h("section", { id: "composer", "aria-labelledby": "composer-h" });
  const assistBox = h("section", { id: "assist", "aria-labelledby": "assist-h" });
  // The suggestions for the pending turn (by its step), asked once a turn.
  let assist: { step: number; a?: Assist; error?: string } | null = null;
  const history = h("section", { id: "history", "aria-labelledby": "history-h" });
  const live = h("p", { class: "sr-only", "aria-live": "assertive" });
  const cols = h("div", { class: "cols" }, h("div", { class: "col" }, text, composer, assistBox), h("div", { class: "col" }, history));
  const explain = explainUtility("each party"); // kept across renders, so that it stays open
  replace(root, h("div", { class: "seat-page" }, homeLink(), head, end, cols, live));

  const name = (p: number) => (st.created ? partyName(st.created, p, -1) : String(p));
  const participants = () => st.stage?.participants ?? st.session?.declared?.map((d) => d.party) ?? [];

  const answering = new Answering(id, token, st, (ok) => { if (ok) confirmLeave = false; render(); });
  const send = (action: Record<string, unknown>, say: string) => { answering.send(action).then((ok) => { if (ok) live.textContent = say; }); };

  // utilities of outcome o: the mediator's own (if a party) and each
  // voter's declared one, with warnings; a suggestion's (ids false) gives
  // the own utility no id.
  const assess = (o: number, ids = true) => {
    const s = st.session, c = st.created!;
    const rows = [];
    if (s && s.party >= 0 && s.utilities?.length) rows.push(h("li", { class: "own" }, `Yours (${s.name}'s own interests): `, h("strong", { id: ids ? "own-utility" : null, class: "own-utility" }, fmt(s.utilities[o]))));
    for (const d of s?.declared ?? []) {
      const u = d.utilities[o];
      const w: string[] = [];
      if (u < d.reservation) w.push(`below ${name(d.party)}'s declared reservation value ${fmt(d.reservation)}`);
      for (const l of redLinesCrossed(c.issues, choiceOf(c.issues, o), d.red_lines)) w.push(`crosses ${name(d.party)}'s declared red line ${l}`);
      rows.push(h("li", { "data-party": d.party }, `${name(d.party)} (declared): `, h("strong", { class: "declared-utility" }, fmt(u)),
        w.length ? h("span", { class: "warning-inline", role: "note" }, ` Warning: ${w.join("; ")}.`) : null));
    }
    return rows.length ? h("ul", { class: "assess" }, rows) : h("p", { class: "hint" }, "Your information level shows no one's utilities.");
  };

  const renderHead = () => {
    const c = st.created, t = st.turn, sg = st.stage;
    const left = t ? secondsLeft(t, st.turnAt) : 0;
    replace(head,
      h("h1", null, "You mediate", c ? ` · ${c.scenario} (${id})` : ""),
      h("p", { id: "clock" }, sg ? `Stage ${sg.name}: you mediate between ${sg.participants.map(name).join(" and ")}` : "",
        t ? ` · round ${t.round + 1}${sg ? ` of ${sg.rounds}` : ""} · ${Math.round((1 - t.time) * 100)}% of the time left` : ""),
      sg?.info ? h("p", { id: "info" }, `Information level ${sg.info}: ${infoWords[sg.info] ?? ""}.`,
        sg.rule ? ` Rule ${sg.rule}: ${ruleWords[sg.rule] ?? ""}${sg.rule === "mediator" ? "" : " for it to become the text"}.` : "") : null,
      h("p", { id: "how", class: "hint" }, "How it works: you compose one text (one value per issue) and send it to a vote; if it passes, it becomes the current text. ",
        "When the rounds run out, the voters vote once more, on the current text: if every one accepts it, it is the agreement. After a round you may call that final vote early."),
      explain,
      t ? h("p", { id: "turn", class: "turn" },
        t.kind === "adopt" ? "Your turn: not every party accepted your proposal; adopt it as the text anyway, or keep the current text. "
          : t.can_call ? "Your turn: propose a text, call the final vote on the current text, or step back. "
          : "Your turn: propose a text or step back. ",
        h("span", { id: "timer" }, `${left} s left.`))
        : h("p", { id: "turn" }, st.ended ? "The negotiation is over." : st.created && sg ? `Waiting for the votes of ${sg.participants.map(name).join(" and ")}…` : "Waiting for the votes…"),
      t && t.step === failedAt ? h("p", { id: "final-failed", role: "status" },
        "The final vote did not pass: not every voter accepted the current text (their votes are in the list). The mediation goes on.") : null,
      st.error ? h("p", { class: "error", role: "alert" }, st.error) : null);
  };

  const renderText = () => {
    const c = st.created, t = st.turn;
    if (!c || !t) { replace(text); return; }
    const votes = t.votes ?? [];
    const ps = participants();
    replace(text,
      h("h2", { id: "text-h", "data-step": t.step }, "The current text"),
      t.text !== undefined && t.text >= 0 ? [outcomeList("current-text", c.issues, t.text), assess(t.text)] : h("p", null, "No text yet."),
      t.standing >= 0 && votes.length ? [h("h3", null, "The votes on your last proposal"),
        h("ul", { id: "votes" }, votes.map((v, i) => h("li", null, `${name(ps[i] ?? i)}: `,
          v.leave ? "left the talks" : v.accept ? "accepted" : "rejected",
          v.feedback ? ` (it is ${v.feedback > 0 ? "better" : "worse"} than the text for them)` : "")))] : null);
  };

  const renderComposer = () => {
    const c = st.created, t = st.turn;
    if (!c || st.ended) { replace(composer); return; }
    // The composer starts from the current text once the first turn
    // brings it (before that, from the first outcome).
    if (!choice || (!seeded && t)) { choice = choiceOf(c.issues, t && t.text !== undefined && t.text >= 0 ? t.text : 0); seeded = !!t; }
    const o = outcomeIndex(c.issues, choice);
    const current = t && t.text !== undefined && t.text >= 0 ? choiceOf(c.issues, t.text) : [];
    if (t && t.kind === "adopt") {
      replace(composer, h("h2", { id: "composer-h" }, "Adopt your proposal?"),
        t.standing >= 0 ? [outcomeList("proposal", c.issues, t.standing), assess(t.standing)] : null,
        h("div", { class: "buttons" },
          h("button", { type: "button", class: "primary", id: "adopt", disabled: answering.busy,
            onclick: () => send({ action: "accept" }, "You adopted your proposal as the text.") }, "Adopt it as the text"),
          h("button", { type: "button", id: "keep-text", disabled: answering.busy,
            onclick: () => send({ action: "reject" }, "You kept the current text.") }, "Keep the current text")));
      return;
    }
    replace(composer, h("h2", { id: "composer-h" }, "Compose a text"),
      issueControls(c.issues, choice, current, "the current text", (i, v) => { choice![i] = v; render(); }),
      assess(o),
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "primary", id: "propose", disabled: !t || answering.busy,
          onclick: () => send({ action: "offer", outcome: o }, "You sent the text to a vote.") }, "Send this text to a vote"),
        t?.can_call ? h("button", { type: "button", id: "final-vote", disabled: answering.busy,
          onclick: () => { const at = t.step; send({ action: "final_vote" }, "You called the final vote on the current text."); called = at; } }, "Call the final vote on the current text") : null,
        confirmLeave ? [h("span", null, "Step back and end your mediation? "),
          h("button", { type: "button", class: "danger", id: "step-back-confirm", onclick: () => send({ action: "walk_away" }, "You stepped back.") }, "Yes, step back"),
          h("button", { type: "button", onclick: () => { confirmLeave = false; render(); } }, "Cancel")]
          : h("button", { type: "button", class: "danger", id: "step-back", disabled: !t || answering.busy,
            onclick: () => { confirmLeave = true; render(); document.getElementById("step-back-confirm")?.focus(); } }, "Step back")));
  };

  // renderAssist shows what the built-in mediators would answer to the
  // pending turn (GET /negotiations/{id}/assist), labelled as suggestions:
  // nothing is sent unless the person loads one and sends it.
  const renderAssist = () => {
    const c = st.created, t = st.turn;
    if (!c || !t || st.ended || (t.kind !== "propose" && t.kind !== "adopt")) { replace(assistBox); return; }
    if (!assist || assist.step !== t.step) {
      const want = t.step;
      assist = { step: want };
      assistOf(id, token).then((a) => { if (assist?.step === want) { assist.a = a; render(); } },
        (e) => { if (assist?.step === want) { assist.error = (e as Error).message; render(); } });
    }
    const a = assist.a;
    replace(assistBox, h("h2", { id: "assist-h" }, "Assist: what the built-in mediators would do"),
      h("p", { class: "hint" }, "Suggestions only, computed from what you may see: nothing is sent unless you send it."),
      assist.error ? h("p", { class: "hint" }, `No suggestions: ${assist.error}`) : !a || a.step !== t.step ? h("p", { role: "status" }, "Asking the built-in mediators…")
        : a.suggestions.map((sg) => {
          const who = mediatorNames[sg.mediator] ?? sg.mediator;
          const label = `Suggestion from the built-in ${who} mediator — not sent`;
          if (!sg.action) return h("div", { class: "suggestion", "data-mediator": sg.mediator }, h("h3", null, label), h("p", null, `None: ${sg.error ?? "no answer"}.`));
          return h("div", { class: "suggestion", "data-mediator": sg.mediator, id: `suggestion-${sg.mediator}` }, h("h3", null, label),
            sg.action === "offer" && sg.outcome !== undefined ? [
              h("p", null, "Propose: ", h("span", { class: "suggested-values" }, valuesOf(c.issues, sg.outcome))), assess(sg.outcome, false),
              h("button", { type: "button", id: `load-${sg.mediator}`, onclick: () => {
                choice = choiceOf(c.issues, sg.outcome!);
                live.textContent = `Loaded the ${who} mediator's suggestion into the composer: review it, then send it.`;
                render();
                document.getElementById("composer-h")?.scrollIntoView();
                document.getElementById("propose")?.focus();
              } }, "Load it into the composer")]
              : h("p", { class: "suggested-action" }, actionWords[sg.action] ?? sg.action));
        }));
  };

  const render = () => {
    cols.classList.toggle("over", !!st.ended);
    renderHead();
    replace(end, st.ended && st.created ? ending(st.created, st.ended, -1) : null);
    renderText();
    renderComposer();
    renderAssist();
    const s = st.session;
    replace(history, h("h2", { id: "history-h" }, "Proposals and votes"), st.created ? actionTable(st.created, st.actions, {
      // (a button on each proposal, none on the votes on it)
      me: -1, empty: "No proposals yet.", edit: st.ended ? undefined : (o, round, type) => type !== "offer" ? null : h("button", { type: "button", class: "small", "aria-label": `Compose from your proposal of round ${round + 1}`,
        onclick: () => { choice = choiceOf(st.created!.issues, o); render(); } }, "Edit") }) : null,
    st.created && s && s.party >= 0 && s.utilities?.length ? ownUtilityChart("own-utility-chart", st.created, st.actions, (o) => s.utilities[o], -1,
      "Your own utility (as a party) of each proposal, as time runs out; utility from 0 to 1.") : null);
  };

  const onEvent = (e: Event) => {
    switch (e.type) {
      case "created": st.created = e.created; break;
      case "session": if (e.session?.role === "mediator") st.session = e.session as Mediation["session"]; break;
      case "stage": st.stage = e.stage; break;
      case "turn":
        if (called >= 0 && e.turn && e.turn.step > called) { failedAt = e.turn.step; called = -1; }
        st.turn = e.turn; st.turnAt = Date.now(); st.error = ""; live.textContent = "Your turn."; break;
      case "offer": case "accept": case "walk_away": case "reject": {
        const l = loggedOf(e);
        if (!l) return;
        st.actions.push(l);
        break;
      }
      case "ended": st.ended = e.ended; st.turn = undefined; break;
      default: return;
    }
    render();
  };
  return followPage(id, token, st, onEvent, render, () => `${st.turn ? secondsLeft(st.turn, st.turnAt) : 0} s left.`);
}
