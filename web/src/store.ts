// What this browser remembers: the admin token and the tokens of the
// negotiations it created (localStorage; nothing leaves the browser).
import type { Tokens } from "./api";

const get = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
const set = (k: string, v: string) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } };

export const adminToken = () => get("parley.admin") || "";
export const setAdminToken = (t: string) => set("parley.admin", t);

// Remembered is a negotiation's tokens with its parties' names, for the
// home page's links.
export type Remembered = Tokens & { parties?: string[] };

export function rememberTokens(id: string, t: Remembered) { set("parley.tokens." + id, JSON.stringify(t)); }

export function knownTokens(id: string): Remembered | null {
  const v = get("parley.tokens." + id);
  if (!v) return null;
  try { return JSON.parse(v) as Remembered; } catch { return null; }
}
