#!/usr/bin/env node
// A remote Parley agent in JavaScript for Node 18 or later, with no npm
// packages. It takes a seat of a negotiation on a `parley serve` server
// and plays a Boulware strategy (a time-dependent concession, Faratin et
// al. 1998) to the end, over REST with long polling (docs/server.md):
//
//   node agent.mjs URL                  # create a ceasefire negotiation, play UA
//   node agent.mjs URL ID SEAT_TOKEN    # play the seat of negotiation ID
//
// It uses Node's built-in fetch rather than a WebSocket: Node's built-in
// WebSocket client arrived in Node 22, and Debian 12 ships Node 18.
//
// It reads its utilities from its seat's `session` event, offers the
// outcome it likes least among those at or above its target, accepts an
// offer at or above it, and never crosses its own red lines.

// call makes one JSON request; it waits and retries when rate limited (429).
async function call(url, token = "", body = undefined) {
  for (;;) {
    const resp = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (resp.ok) return resp.json();
    if (resp.status !== 429) throw new Error(`${url}: ${resp.status} ${(await resp.text()).trim()}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

// target is Boulware's aspiration at time t in [0, 1]: it concedes late (e < 1).
const target = (t, low, high, e = 0.2) => low + (high - low) * (1 - t ** (1 / e));

// crosses says whether outcome o (its index: the first issue most
// significant) takes a banned value.
function crosses(o, issues, banned) {
  for (let i = issues.length - 1; i >= 0; i--) {
    const values = issues[i].values;
    if (banned.has(`${issues[i].name}=${values[o % values.length]}`)) return true;
    o = Math.floor(o / values.length);
  }
  return false;
}

async function main(url, id, token) {
  if (id === undefined) { // a ceasefire negotiation: RU and US are built in, UA is us
    const seats = [{ kind: "strategy", spec: "boulware" }, { kind: "remote" }, { kind: "strategy", spec: "conceder" }];
    const made = await call(`${url}/negotiations`, "", { scenario: "ceasefire", seats });
    [id, token] = [made.id, made.tokens.seats[1]];
  }
  let after = 0, turns = 0, issues = [], names = [], u, banned, ok, ranks, low, high;
  for (;;) {
    const page = await call(`${url}/negotiations/${id}/events?after=${after}&wait=30`, token);
    for (const e of page.events) {
      after = e.seq;
      if (e.type === "created") {
        [issues, names] = [e.created.issues, e.created.parties];
      } else if (e.type === "session") {
        u = e.session.utilities;
        banned = new Set((e.session.red_lines ?? []).map((r) => `${r.issue}=${r.value}`));
        ok = u.map((_, o) => o).filter((o) => !crosses(o, issues, banned));
        ok.sort((a, b) => u[a] - u[b]); // allowed outcomes, least liked first
        ranks = ok.map((o) => u[o]);
        [low, high] = [Math.max(e.session.reservation, ranks[0]), ranks[ranks.length - 1]];
      } else if (e.type === "turn") {
        const { step, time, standing } = e.turn;
        const aim = target(time, low, high);
        let act = { step, action: "accept" };
        if (standing < 0 || u[standing] < aim || crosses(standing, issues, banned)) {
          const k = ranks.findIndex((r) => r >= aim); // the least liked at or above the aim
          act = { step, action: "offer", outcome: ok[k < 0 ? ok.length - 1 : k] };
        }
        await call(`${url}/negotiations/${id}/actions`, token, act);
        turns++;
      } else if (e.type === "ended") {
        const who = e.ended.party >= 0 ? ` (${names[e.ended.party]})` : "";
        console.log(`ended: ${e.ended.reason}${who} after ${e.ended.rounds} rounds; ${turns} turns played`);
      } else if (e.type === "result") {
        console.log(`my utility: ${e.result.utility.toFixed(3)}`);
      }
    }
    if (page.complete) return;
  }
}

const args = process.argv.slice(2);
if (args.length !== 1 && args.length !== 3) {
  console.error("usage: agent.mjs URL [NEGOTIATION_ID SEAT_TOKEN]");
  process.exit(2);
}
main(...args).catch((err) => {
  console.error(`agent.mjs: ${err.message}`);
  process.exit(1);
});
