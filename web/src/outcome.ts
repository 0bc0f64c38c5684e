// Outcomes as the server numbers them (docs/server.md, "The event log"):
// an outcome's index is the mixed-radix number of its value indices, the
// first issue most significant.
import type { Issue, RedLine, Session } from "./api";
import { label } from "./dom";

// outcomeIndex returns the index of the outcome choosing value choice[i]
// of issue i.
export function outcomeIndex(issues: Issue[], choice: number[]): number {
  let idx = 0;
  issues.forEach((is, i) => { idx = idx * is.values.length + choice[i]; });
  return idx;
}

// choiceOf returns the value indices of outcome idx.
export function choiceOf(issues: Issue[], idx: number): number[] {
  const c = new Array<number>(issues.length);
  for (let i = issues.length - 1; i >= 0; i--) {
    const n = issues[i].values.length;
    c[i] = idx % n;
    idx = Math.floor(idx / n);
  }
  return c;
}

// reservationAt is the seat's reservation value at normalised time t, as
// its session states it: clamp(reservation + drift·t, 0, 1).
export function reservationAt(s: Session, t: number): number {
  if (!s.drift) return s.reservation;
  return Math.min(1, Math.max(0, s.reservation + s.drift * t));
}

// redLinesCrossed returns the seat's red lines that the outcome choice
// crosses, as "issue = value" in words (redLineText).
export function redLinesCrossed(issues: Issue[], choice: number[], lines: RedLine[] | undefined): string[] {
  const out: string[] = [];
  for (const l of lines || []) {
    const i = issues.findIndex((is) => is.name === l.issue);
    if (i >= 0 && issues[i].values[choice[i]] === l.value) out.push(redLineText(l));
  }
  return out;
}

// redLineText is a red line in words: "territory = four oblasts withdrawal".
export const redLineText = (l: RedLine) => `${label(l.issue)} = ${label(l.value)}`;

// best returns the outcome of highest utility (the first of ties).
export function best(utilities: number[]): number {
  let b = 0;
  for (let i = 1; i < utilities.length; i++) if (utilities[i] > utilities[b]) b = i;
  return b;
}

// describe shows an outcome as "issue: value; ...".
export function describe(issues: Issue[], idx: number): string {
  const c = choiceOf(issues, idx);
  return issues.map((is, i) => `${label(is.name)}: ${label(is.values[c[i]])}`).join("; ");
}

// valuesOf shows an outcome's values alone, in issue order, with spaces
// for underscores so that long names wrap.
export function valuesOf(issues: Issue[], idx: number): string {
  const c = choiceOf(issues, idx);
  return issues.map((is, i) => label(is.values[c[i]])).join(" · ");
}
