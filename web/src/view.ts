// Pieces that the pages share: outcomes, the list of actions and the
// ending, shown from whichever lens the page has.
import type { Action, Created, Ended, Event, Issue } from "./api";
import { fmt, h } from "./dom";
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
  return h("dl", { id, class: "outcome" }, issues.map((is, i) => [h("dt", null, is.name), h("dd", null, is.values[c[i]])]));
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
  edit?: (o: number, round: number) => HTMLElement | null;
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
      h("td", null, opt.edit && a.party !== opt.me && a.outcome >= 0 ? opt.edit(a.outcome, a.round) : null)),
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
      is.values.map((v, j) => h("option", { value: j, selected: j === choice[i] }, v.replace(/_/g, " "))));
    sel.addEventListener("change", () => { onChange(i, Number(sel.value)); document.getElementById(id)?.focus(); });
    const hint = other[i] !== undefined && other[i] !== choice[i] ? h("span", { class: "hint" }, `${otherName}: ${is.values[other[i]]}`) : null;
    return h("div", { class: "field" }, h("label", { for: id }, is.name.replace(/_/g, " ")), sel, hint);
  }));
}
