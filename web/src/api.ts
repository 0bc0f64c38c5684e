// The server's API (docs/server.md) as the pages use it: plain fetch and
// WebSocket calls, each carrying one token.

export interface Issue { name: string; values: string[] }

export interface Created {
  id: string; scenario: string; protocol: string; deadline: number;
  parties: string[]; issues: Issue[]; outcomes: number;
}

export interface RedLine { issue: string; value: string }

export interface Session {
  stage: number; role: string; party: number; name: string;
  utilities: number[]; reservation: number; discount: number;
  drift?: number; hazard?: number; red_lines?: RedLine[];
  clock?: { parties?: number; rounds?: number };
}

export interface Turn {
  kind: string; stage: number; step: number; round: number; time: number;
  standing: number; proposer: number; accepts: number; timeout_ms: number;
  text?: number; final?: boolean;
  /** A mediator's propose turn that lets it call the final vote instead. */
  can_call?: boolean;
}

export interface Action {
  stage: number; step: number; round: number; time: number; party: number;
  outcome: number; values?: Record<string, string>;
}

export interface Ended {
  reason: string; agreement: number; values?: Record<string, string>;
  rounds: number; steps: number; time: number; party: number; cause?: string; stage?: number;
}

export interface Result { party: number; utility: number; discounted: number }

export interface Stage {
  index: number; name: string; mechanism: string; participants: number[];
  mediator: number; rounds: number; offset: number; rule?: string; info?: string;
  carried?: Carried;
  // The stage's settings, as a trace names them (docs/cli.md, "Stages").
  round_cost?: number; transition?: string; carry?: string; on_walk_away_next?: number; start?: string;
  noise?: number; final_vote?: boolean;
}

export interface Vote { stage: number; step: number; round?: number; time?: number; party: number; outcome: number; accept: boolean }

// Event is one event of a lens; the payload is named after the type (the
// actions' payload is `action`).
export interface Event {
  seq: number; type: string; audience: string;
  created?: Created; session?: Session; turn?: Turn; action?: Action;
  ended?: Ended; result?: Result; stage?: Stage; vote?: Vote;
}

export interface Listed { id: string; scenario: string; status: string }

export interface SeatSpec { kind: "strategy" | "remote"; spec?: string; voter?: string }

export interface CreateRequest {
  scenario: string; protocol?: string; variant?: string; deadline?: number;
  seed?: number; turn_timeout?: number; seats: SeatSpec[]; mediator?: SeatSpec;
}

export interface Tokens { owner: string; observer: string; seats: string[]; mediator?: string }

// ApiError is an answer {"error": ...} with its HTTP status.
export class ApiError extends Error {
  constructor(public status: number, message: string) { super(message); }
}

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers["Authorization"] = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let data: any = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!r.ok) throw new ApiError(r.status, (data && data.error) || `${r.status} ${r.statusText}`);
  return data as T;
}

export const listNegotiations = (admin: string) =>
  call<{ negotiations: Listed[] }>("GET", "/negotiations", admin).then((d) => d.negotiations || []);

// Catalog is GET /catalog: the server's built-in scenarios and the
// strategies its registries know (a program's own agents included).
export interface CatalogAgent { name: string; doc: string }
export interface CatalogScenario {
  name: string; description: string; parties: string[]; outcomes: number;
  /** rounds of protocols sao and mediated when the request gives none */
  deadline: number;
  protocols: string[];
  /** protocol staged: the declared stages (name "") and each variant */
  variants: { name: string; rounds: number; stages: CatalogStage[] }[];
}
/** a variant's stage as the stage event names it: who offers or votes
 * (participants) and who mediates (-1: a mediator without interests) */
export type CatalogStage = Pick<Stage, "name" | "mechanism" | "participants" | "mediator" | "rounds">;
export interface Catalog {
  scenarios: CatalogScenario[];
  negotiators: CatalogAgent[]; voters: CatalogAgent[]; mediators: CatalogAgent[];
}

export const getCatalog = (admin: string) => call<Catalog>("GET", "/catalog", admin);

export const createNegotiation = (admin: string, req: CreateRequest) =>
  call<{ id: string; tokens: Tokens }>("POST", "/negotiations", admin, req);

export const viewNegotiation = (id: string, token: string) =>
  call<any>("GET", `/negotiations/${encodeURIComponent(id)}`, token);

export const act = (id: string, token: string, action: Record<string, unknown>) =>
  call<{ step: number }>("POST", `/negotiations/${encodeURIComponent(id)}/actions`, token, action);

// follow calls onEvent with every event of the token's lens, in order and
// once each, over the negotiation's WebSocket stream, reconnecting after
// the last seq it saw until the log is complete (the server then closes
// the stream normally). It returns a function that stops following.
export function follow(id: string, token: string, onEvent: (e: Event) => void,
  onState: (s: "open" | "closed" | "complete" | "error", detail?: string) => void): () => void {
  let last = 0, stopped = false, ws: WebSocket | null = null, retry = 500;
  const open = () => {
    if (stopped) return;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${proto}//${location.host}/negotiations/${encodeURIComponent(id)}/stream?after=${last}&token=${encodeURIComponent(token)}`);
    ws.onopen = () => { retry = 500; onState("open"); };
    ws.onmessage = (m) => {
      let e: any;
      try { e = JSON.parse(String(m.data)); } catch { return; }
      if (e.type === "error") { onState("error", e.error); return; }
      if (typeof e.seq !== "number" || e.seq <= last) return;
      last = e.seq;
      onEvent(e as Event);
    };
    ws.onclose = (c) => {
      if (stopped) return;
      if (c.code === 1000) { onState("complete"); return; }
      onState("closed", c.reason);
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 8000);
    };
  };
  open();
  return () => { stopped = true; ws?.close(); };
}

// Answering is a page's answer to its turns: send posts the action for
// the pending turn, once at a time. The stream may bring the next turn
// before the post returns, so a turn is cleared only if it is still the
// one answered.
export class Answering {
  busy = false;
  constructor(private id: string, private token: string,
    private st: { turn?: Turn; error: string }, private done: (ok: boolean) => void) {}

  // send reports whether the server took the action.
  async send(action: Record<string, unknown>): Promise<boolean> {
    const t = this.st.turn;
    if (!t || this.busy) return false;
    this.busy = true;
    let ok = false;
    try {
      await act(this.id, this.token, { step: t.step, ...action });
      // (by identity: a mediator's adopt turn and the turn after it share
      // their step)
      if (this.st.turn === t) this.st.turn = undefined;
      ok = true;
    } catch (e) {
      this.st.error = (e as Error).message;
    }
    this.busy = false;
    this.done(ok);
    return ok;
  }
}

// --- live: the stages' carry-over and the mediator's assist
// (docs/server.md).

/** What a stage opens with from the stage before it. */
export interface Carried { carry: string; outcome: number; values?: Record<string, string>; locked?: string[] }

/** A built-in mediator's answer to the mediator's pending turn. */
export interface Suggestion { mediator: string; action?: string; outcome?: number; values?: Record<string, string>; error?: string }

export interface Assist { step: number; kind: string; suggestions: Suggestion[] }

export const assistOf = (id: string, token: string) =>
  call<Assist>("GET", `/negotiations/${encodeURIComponent(id)}/assist`, token);

// The owner's utility space of a pair of parties (analyst view,
// GET /negotiations/{id}/space and /space/points; docs/server.md).
export interface Point { outcome: number; utilities: number[] }
export interface SpaceProfile {
  party: number; name: string; reservation: number; additive: boolean;
  bonus?: number; weights?: number[]; evaluations?: number[][];
}
export interface Space {
  pair: [number, number]; negotiating: number[]; outcomes: number; points: number; sampled: boolean;
  method?: string; frontier: Point[]; nash?: Point; kalai_smorodinsky?: Point; max_welfare?: Point;
  feasible: number; reservation: [number, number]; error?: string;
  red_lines: (RedLine & { party: number })[]; profiles: SpaceProfile[];
}

// Points are the pair's utilities (xs, ys) of outcomes: all of them in
// order (outcomes null), a sample, or the outcomes asked for.
export interface Points { xs: Float32Array; ys: Float32Array; outcomes: Float64Array | null }

const pairQuery = (x?: number, y?: number) => (x === undefined || y === undefined ? "" : `x=${x}&y=${y}`);

export const spaceOf = (id: string, token: string, x?: number, y?: number) =>
  call<Space>("GET", `/negotiations/${encodeURIComponent(id)}/space?${pairQuery(x, y)}`, token);

// spacePoints reads the binary utilities: every x, every y (float32), then
// a sample's outcomes (float64). outcomes names the outcomes to read.
export async function spacePoints(id: string, token: string, x: number, y: number, sampled: boolean, outcomes?: number[]): Promise<Points> {
  const q = pairQuery(x, y) + (outcomes ? "&outcomes=" + outcomes.join(",") : "");
  const r = await fetch(`/negotiations/${encodeURIComponent(id)}/space/points?${q}`, { headers: { Authorization: "Bearer " + token } });
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error || msg; } catch { /* not JSON */ }
    throw new ApiError(r.status, msg);
  }
  const buf = await r.arrayBuffer();
  const withOutcomes = sampled && !outcomes;
  const n = buf.byteLength / (withOutcomes ? 16 : 8);
  return {
    xs: new Float32Array(buf, 0, n), ys: new Float32Array(buf, 4 * n, n),
    outcomes: withOutcomes ? new Float64Array(buf, 8 * n, n) : null,
  };
}
// Results (parley serve --results): stored tournaments and experiments,
// read-only, behind the admin token.

// Estimate is a mean or rate with its 95% interval.
export interface Estimate { mean: number; low: number; high: number; n: number }

export interface ResultSet {
  name: string; kind: "tournament" | "experiment"; protocol: string; done: number; total: number;
  scenarios: string[]; entrants?: string[]; arms?: string[];
  // missing: what the report lacks because an older parley wrote the database.
  missing?: string;
}

export interface ResultReport extends ResultSet { report: any }

export interface StoredRun {
  job_id: number; scenario: string; rep: number; agents: string[]; mediator?: string; voters?: string[];
  agreement?: Record<string, string>; utilities: number[]; advantage: number[]; rounds: number; reason: string;
  error?: string; welfare: number; arm?: string; stage?: string;
}

const resultsPath = (name: string) => `/results/${encodeURIComponent(name)}`;

export const listResults = (admin: string) =>
  call<{ results: ResultSet[] }>("GET", "/results", admin).then((d) => d.results || []);

export const resultReport = (admin: string, name: string) => call<ResultReport>("GET", resultsPath(name), admin);

export const resultRuns = (admin: string, name: string, offset: number, limit: number) =>
  call<{ offset: number; total: number; runs: StoredRun[] }>("GET", `${resultsPath(name)}/runs?offset=${offset}&limit=${limit}`, admin);

export const replayRun = (admin: string, name: string, run: number) =>
  call<{ id: string; token: string }>("POST", `${resultsPath(name)}/runs/${run}/replay`, admin);
