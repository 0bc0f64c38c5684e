// What this browser remembers: the admin token and the tokens of the
// negotiations it created (localStorage; nothing leaves the browser).
import type { Tokens } from "./api";

const get = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
const set = (k: string, v: string) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } };

export const adminToken = () => get("parley.admin") || "";
export const setAdminToken = (t: string) => set("parley.admin", t);

export function rememberTokens(id: string, t: Tokens) { set("parley.tokens." + id, JSON.stringify(t)); }

export function knownTokens(id: string): Tokens | null {
  const v = get("parley.tokens." + id);
  if (!v) return null;
  try { return JSON.parse(v) as Tokens; } catch { return null; }
}
