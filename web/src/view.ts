// Pieces that the pages share: outcomes, the list of actions and the
// ending, shown from whichever lens the page has.
import { follow, type Action, type Created, type Ended, type Event, type Issue } from "./api";
import { fmt, h, label } from "./dom";
import { choiceOf, describe, valuesOf } from "./outcome";

// Logged is an action of the log with its event type (offer, accept,
// walk_away, proposal, mediator_exit, or a seat's own vote_yes/vote_no).
export interface Logged { type: string; a: Action }

// loggedOf returns the entry of the list of actions that event e makes:
// an action (offer, accept, walk_away; the mediator's, with party -1, are
// its proposals and its stepping back) or a vote (accept or reject with a
// vote payload); null for other events.
export function loggedOf(e: Event): Logged | null {
  if (e.vote && (e.type === "accept" || e.type === "reject")) {
    return { type: e.vote.accept ? "vote_yes" : "vote_no", a: { ...e.vote, round: e.vote.round ?? 0, time: e.vote.time ?? 0 } };
  }
  if (e.action && (e.type === "offer" || e.type === "accept" || e.type === "walk_away")) return { type: e.type, a: e.action };
  return null;
}

// outcomeList shows an outcome as a list of issue and value.
export function outcomeList(id: string, issues: Issue[], o: number) {
  const c = choiceOf(issues, o);
  return h("dl", { id, class: "outcome" }, issues.map((is, i) => [h("dt", null, label(is.name)), h("dd", null, label(is.values[c[i]]))]));
}

// actionWords names the actions in the list.
const actionWords: Record<string, string> = {
  offer: "offered", accept: "accepted", walk_away: "walked away", vote_yes: "voted to accept", vote_no: "voted to reject",
};

// mediatorWords name the mediator's actions.
const mediatorWords: Record<string, string> = { offer: "proposed", walk_away: "stepped back" };

// actionWord names an action of type type by party (-1: the mediator).
export const actionWord = (type: string, party: number) => (party < 0 && mediatorWords[type]) || actionWords[type] || type;

// partyName names party p; me is the page's own party (-1 for none).
export const partyName = (c: Created, p: number, me: number) =>
  p === me ? "you" : p < 0 ? "the mediator" : c.parties[p] ?? String(p);

// ActionOptions: the page's own party, its utility of an outcome (a seat's
// page only) and a button that starts a counter-offer from an outcome.
export interface ActionOptions {
  me: number;
  utility?: (o: number) => number;
  // edit makes the button of an action (its outcome, round, type and
  // party), or null for none.
  edit?: (o: number, round: number, type: string, party: number) => HTMLElement | null;
  empty?: string; // the text without actions (default "No offers yet.")
}

// actionTable lists the actions, newest first, each in two rows: who did
// what (with the page's utility of it, when it has one), then the
// outcome's values across the table.
export function actionTable(c: Created, actions: Logged[], opt: ActionOptions) {
  if (!actions.length) return h("p", null, opt.empty ?? "No offers yet.");
  const cols = opt.utility ? ["Round", "By", "Your utility", "Action", ""] : ["Round", "By", "Action", ""];
  const rows = actions.slice().reverse().map(({ type, a }) => {
    const mine = a.party === opt.me ? "mine" : "theirs";
    return [h("tr", { class: "action " + mine },
      h("td", null, a.round + 1), h("td", null, partyName(c, a.party, opt.me)),
      opt.utility ? h("td", { class: "num" }, a.outcome >= 0 ? fmt(opt.utility(a.outcome)) : "–") : null,
      h("td", null, actionWord(type, a.party)),
      h("td", null, opt.edit && a.outcome >= 0 ? opt.edit(a.outcome, a.round, type, a.party) : null)),
    h("tr", { class: "values " + mine },
      h("td", { colspan: cols.length, title: a.outcome >= 0 ? describe(c.issues, a.outcome) : null }, a.outcome >= 0 ? valuesOf(c.issues, a.outcome) : ""))];
  });
  return h("table", { id: "offer-list" },
    h("thead", null, h("tr", null, cols.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", null, rows));
}

const reasons: Record<string, string> = {
  agreement: "Agreement reached", deadline: "The deadline passed without agreement", walk_away: "A party walked away",
  mediator_exit: "The mediator left", ratification_failed: "Ratification failed", error: "The negotiation failed",
};

// ending shows how the negotiation ended: the reason, who walked away,
// the agreement, the cause of a failure.
export function ending(c: Created, e: Ended, me: number) {
  const who = partyName(c, e.party, me);
  return [h("h2", { id: "ended" }, reasons[e.reason] || e.reason),
    e.party >= 0 && e.reason === "walk_away" ? h("p", null, `${who === "you" ? "You" : who} walked away.`) : null,
    e.agreement >= 0 ? outcomeList("agreement", c.issues, e.agreement) : null,
    e.cause ? h("p", null, e.cause) : null];
}

// issueControls is an outcome builder: one labelled select per issue
// showing choice, with a hint where other (say, the offer on the table,
// named by otherName) differs; onChange gets an issue's new value index.
// The selects' ids (issue-NAME) stay the same across renders, so the focus
// comes back to the control that changed.
export function issueControls(issues: Issue[], choice: number[], other: number[], otherName: string, onChange: (issue: number, value: number) => void) {
  return h("div", { class: "issues" }, issues.map((is, i) => {
    const id = `issue-${is.name}`;
    const sel = h("select", { id, name: is.name },
      is.values.map((v, j) => h("option", { value: j, selected: j === choice[i] }, label(v))));
    sel.addEventListener("change", () => { onChange(i, Number(sel.value)); document.getElementById(id)?.focus(); });
    const hint = other[i] !== undefined && other[i] !== choice[i] ? h("span", { class: "hint" }, `${otherName}: ${label(is.values[other[i]])}`) : null;
    return h("div", { class: "field" }, h("label", { for: id }, label(is.name)), sel, hint);
  }));
}

// --- polish (issue 12, usability): what every page shares to orient a
// first-time user.

// homeLink is the way back to the home page, at the top of every page.
// secondsLeft is what is left, in whole seconds, of a turn's timeout
// that began at the time at (ms since the epoch).
export const secondsLeft = (t: { timeout_ms: number }, at: number) => Math.max(0, Math.ceil((t.timeout_ms - (Date.now() - at)) / 1000));

export const homeLink = () => h("nav", { class: "home-nav", "aria-label": "Site" }, h("a", { href: "#/", class: "home-link" }, "← Parley home"));

// explainUtility says in two sentences what a utility and a reservation
// value are, where a page first shows them (who: "you" on a seat's page,
// "each party" on the others).
export function explainUtility(who: "you" | "each party") {
  const you = who === "you";
  return h("details", { class: "explain", id: "explain-utility" },
    h("summary", null, "What do “utility”, “reservation value” and “red line” mean?"),
    h("p", null, `A utility says how much ${you ? "you value" : "a party values"} an outcome, from 0 (the worst outcome for ${you ? "you" : "it"}) to 1 (the best). `,
      `The reservation value is the utility ${you ? "you get" : "it gets"} with no agreement (by walking away, or when the deadline passes): `,
      `an agreement below it is worse for ${you ? "you" : "that party"} than no agreement at all. `,
      `A red line is an issue's value that ${you ? "you" : "a party"} cannot accept in any agreement. Only ${you ? "you see your" : "the owner sees the parties'"} utilities.`));
}

// mechanismWords name a stage's mechanism for a first-time reader.
export const mechanismWords: Record<string, string> = { alternating_offers: "direct talks (alternating offers)", mediated: "mediation (a single text put to votes)" };

// ruleWords and infoWords say what a mediated stage's rule and
// information level mean.
export const ruleWords: Record<string, string> = {
  unanimous: "every voter must accept a text", majority: "a majority of the voters must accept a text",
  mediator: "the mediator decides when not every voter accepts a text",
};
export const infoWords: Record<string, string> = {
  nothing: "the mediator sees no votes and no preferences", votes: "the mediator sees the votes",
  declared: "the mediator sees the votes and the preferences the parties declared (with noise)",
  full: "the mediator sees the votes and the parties' true preferences",
};

// --- webfix (issue 12 leftovers): one event-stream glue for the pages
// that follow a negotiation.

// followPage follows negotiation id's events for a page (the watch page,
// the seat's, the mediator's console): onEvent with each event, the
// stream's state in st.link and the reason for a refused action in
// st.error, render after each change and once now, and, given timer, the
// element #timer set to timer's text every second while st has a turn.
// It returns the function that stops it all.
export function followPage(id: string, token: string, st: { link: string; error?: string; turn?: unknown },
  onEvent: (e: Event) => void, render: () => void, timer?: () => string): () => void {
  const stop = follow(id, token, onEvent, (s, detail) => {
    if (s === "error") st.error = detail || "the server refused the action";
    else st.link = s;
    render();
  });
  const tick = timer ? setInterval(() => { const el = document.getElementById("timer"); if (st.turn && el) el.textContent = timer(); }, 1000) : 0;
  render();
  return () => { stop(); clearInterval(tick); };
}
