// The home page: the negotiations this server runs, and a form that
// creates one, showing the join links of its remote seats.
import { ApiError, createNegotiation, getCatalog, listNegotiations, type Catalog, type CatalogScenario, type CreateRequest, type SeatSpec, type Tokens } from "./api";
import { h, replace, uid } from "./dom";
import { mediateLink, seatLink, watchLink } from "./links";
import { adminToken, knownTokens, rememberTokens, setAdminToken } from "./store";

type SeatKind = "strategy" | "person" | "agent";

// home shows the home page in root; the list refreshes every few seconds
// until the returned function stops it.
export function home(root: HTMLElement): () => void {
  let stopped = false, timer = 0;
  const list = h("section", { "aria-labelledby": "list-h" });
  const formBox = h("section", { "aria-labelledby": "new-h" });
  const created = h("section", { id: "created", "aria-live": "polite" });
  replace(root, h("h1", null, "Parley"),
    h("p", { id: "intro" }, "Parley runs negotiations between people and built-in negotiating strategies. ",
      "Start one below: play a side yourself, take the mediator's chair, or watch built-in strategies negotiate; ",
      "every negotiation can be watched and replayed afterwards."),
    h("p", null, h("a", { href: "#/results", id: "results-link" }, "Results of tournaments and experiments")), created, formBox, list);
  // The form offers the server's catalog (GET /catalog), read again after
  // a failure (say, before the admin token is entered) at each refresh.
  let formLoaded = false, loading = false;
  const loadForm = async () => {
    if (formLoaded || loading) return;
    loading = true;
    try {
      const catalog = await getCatalog(adminToken());
      formLoaded = true;
      if (!stopped) newForm(formBox, catalog, (id, tokens, kinds, med, parties, minutes) => {
        showCreated(created, id, tokens, kinds, med, parties, minutes);
        refresh();
        created.scrollIntoView();
        created.querySelector<HTMLElement>("a.join")?.focus();
      });
    } catch (e) {
      replace(formBox, h("h2", { id: "new-h" }, "New negotiation"),
        h("p", { class: "error", role: "alert" }, `Cannot read the server's catalog: ${(e as Error).message}`));
    }
    loading = false;
  };
  const refresh = async () => {
    clearTimeout(timer);
    loadForm();
    await showList(list, refresh);
    if (!stopped) timer = window.setTimeout(refresh, 5000);
  };
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

async function showList(box: HTMLElement, refresh: () => void) {
  // Not while someone types; a focused button (say, Save) keeps the focus
  // across the refresh.
  const active = document.activeElement as HTMLElement | null;
  if (active && box.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return;
  const focusId = active && box.contains(active) ? active.id : "";
  const tokenInput = h("input", { id: "admin-token", type: "password", autocomplete: "off", value: adminToken() });
  const wasOpen = !!box.querySelector("details")?.open;
  const admin = h("details", { open: wasOpen }, h("summary", null, "Admin token"),
    h("p", null, "Needed when the server is not on the loopback interface (parley serve --token-file)."),
    h("label", { for: "admin-token" }, "Admin token "), tokenInput,
    h("button", { type: "button", id: "admin-save", onclick: () => { setAdminToken(tokenInput.value.trim()); refresh(); } }, "Save"));
  let rows: HTMLElement;
  try {
    const ns = await listNegotiations(adminToken());
    rows = ns.length === 0 ? h("p", null, "No negotiations yet.") :
      h("table", { id: "negotiations" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Negotiation"), h("th", { scope: "col" }, "Scenario"),
          h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Your links"))),
        h("tbody", null, ns.slice().reverse().map((n) => {
          const t = knownTokens(n.id);
          return h("tr", null, h("td", null, n.id), h("td", null, n.scenario), h("td", null, n.status),
            h("td", null, t ? [h("a", { href: watchLink(n.id, t.owner), class: "watch" }, n.status === "ended" ? "watch the replay" : "watch"),
              t.seats.map((s, i) => s ? [" · ", h("a", { href: seatLink(n.id, s), class: "seat-link" }, `${t.parties?.[i] ?? `seat ${i + 1}`}'s seat`)] : null),
              t.mediator ? [" · ", h("a", { href: mediateLink(n.id, t.mediator), class: "mediator-link" }, "the mediator's chair")] : null]
              : "created in another browser"));
        })));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) admin.open = true;
    rows = h("p", { class: "error", role: "alert" }, `Cannot list negotiations: ${(e as Error).message}`);
  }
  replace(box, h("h2", { id: "list-h" }, "Negotiations"), rows, admin);
  if (focusId) document.getElementById(focusId)?.focus();
}

function newForm(box: HTMLElement, cat: Catalog, onCreated: (id: string, t: Tokens, kinds: SeatKind[], mediator: SeatKind | "", parties: string[], minutes: number) => void) {
  const scen = h("select", { id: "scenario", name: "scenario" },
    cat.scenarios.map((s) => h("option", { value: s.name }, s.name)));
  const protocol = h("select", { id: "protocol", name: "protocol" });
  const deadline = h("input", { id: "deadline", name: "deadline", type: "number", min: 1, step: 1 });
  const deadlineHint = h("span", { class: "hint", id: "deadline-hint" });
  const seed = h("input", { id: "seed", name: "seed", type: "number", min: 1, step: 1, value: 1 });
  // A person reading the issues needs minutes for a turn, not the
  // server's default minute: the negotiation's turn_timeout.
  const turnMinutes = h("input", { id: "turn-minutes", name: "turn-minutes", type: "number", min: 1, max: 1440, step: 1, value: 10 });
  const desc = h("p", { class: "hint", id: "scenario-desc" });
  const seats = h("fieldset", { id: "seats" });
  const status = h("p", { role: "status", class: "status" });
  const strategies = h("datalist", { id: "strategies" }, cat.negotiators.map((n) => h("option", { value: n.name, label: n.doc })));
  const mediators = h("datalist", { id: "mediators" }, cat.mediators.map((n) => h("option", { value: n.name, label: n.doc })));
  const medKind = h("select", { id: "mediator-kind", name: "mediator-kind" },
    h("option", { value: "" }, "the scenario's mediator strategy"),
    h("option", { value: "strategy" }, "built-in mediator"),
    h("option", { value: "person" }, "a person (join link)"),
    h("option", { value: "agent" }, "a remote agent (token)"));
  const medSpec = h("input", { id: "mediator-spec", name: "mediator-spec", list: "mediators", value: "nash", autocomplete: "off", disabled: true });
  medKind.addEventListener("change", () => { medSpec.disabled = medKind.value !== "strategy"; });
  const medLegend = h("legend", null, "Mediator");
  const medBox = h("fieldset", { id: "mediator" }, medLegend,
    h("div", { class: "field" }, h("label", { for: "mediator-kind" }, "Mediator's chair"), medKind),
    h("div", { class: "field" }, h("label", { for: "mediator-spec" }, "Mediator strategy"), medSpec));
  const idle = h("p", { class: "hint", id: "seats-idle" });
  let rows: { kind: HTMLSelectElement; spec: HTMLInputElement; row: HTMLElement }[] = [];
  const scenario = () => cat.scenarios.find((x) => x.name === scen.value) || cat.scenarios[0];

  const pick = () => {
    const s = scenario();
    desc.textContent = `${s.description} ${s.parties.length} parties, ${s.outcomes.toLocaleString("en")} outcomes.`;
    const staged = s.protocols.includes("staged") ? s.variants : [];
    replace(protocol, h("option", { value: "sao" }, "All parties at one table, taking turns to offer (alternating offers)"),
      staged.map((v) => h("option", { value: "staged:" + v.name }, protocolWords(v.name, v.rounds))));
    rows = s.parties.map((p, i) => {
      const kid = uid("kind"), sid = uid("spec");
      const kind = h("select", { id: kid, name: `seat-${i}-kind` },
        h("option", { value: "strategy" }, "a built-in strategy (the computer plays)"),
        h("option", { value: "person" }, "a person (you, or whoever gets the join link)"),
        h("option", { value: "agent" }, "a remote agent (a program, with a token)"));
      const spec = h("input", { id: sid, name: `seat-${i}-spec`, list: "strategies", value: "boulware", autocomplete: "off" });
      kind.addEventListener("change", () => { spec.disabled = kind.value !== "strategy"; });
      return { kind, spec, row: h("div", { class: "seat" }, h("span", { class: "party" }, p),
        h("label", { for: kid }, `${p} seat`), kind, h("label", { for: sid }, `${p} strategy`), spec) };
    });
    replace(seats, h("legend", null, "Seats"), rows.map((r) => r.row), idle);
  };
  scen.addEventListener("change", () => { pick(); protocolChanged(); });
  // A staged protocol's stages set their own rounds: the deadline shows them.
  const protocolChanged = () => {
    const s = scenario();
    const v = protocol.value.startsWith("staged:") ? s.variants.find((x) => "staged:" + x.name === protocol.value) : undefined;
    deadline.value = String(v ? v.rounds : s.deadline);
    deadline.disabled = protocol.value !== "sao";
    deadlineHint.textContent = deadline.disabled ? "The protocol's stages set their own rounds." : "";
    // Only the seats that act in the chosen protocol, and the mediator's
    // box only when a stage is mediated (the catalog's stages).
    const r = roles(s, protocol.value);
    rows.forEach((row, i) => { row.row.hidden = !r.acting.has(i); });
    const idleNames = s.parties.filter((_, i) => !r.acting.has(i) && i !== r.mediator);
    idle.textContent = [idleNames.length ? `${idleNames.join(" and ")} ${idleNames.length === 1 ? "takes" : "take"} no part in this protocol.` : "",
      r.mediator >= 0 && !r.acting.has(r.mediator) ? `${s.parties[r.mediator]} mediates: choose who takes its chair below.` : ""].filter(Boolean).join(" ");
    medBox.hidden = !r.mediated;
    medLegend.textContent = r.mediator >= 0 ? `Mediator (${s.parties[r.mediator]}, who mediates with interests of its own)` : "Mediator";
  };
  protocol.addEventListener("change", protocolChanged);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const [proto, variant] = protocol.value.split(":");
    const who = roles(scenario(), protocol.value);
    // A party that takes no turn keeps a built-in seat: no join link.
    const kinds = rows.map((row, i) => (who.acting.has(i) ? row.kind.value : "strategy") as SeatKind);
    const parties = scenario().parties;
    const minutes = Math.min(1440, Math.max(1, Math.round(Number(turnMinutes.value) || 10)));
    const req: CreateRequest = {
      scenario: scen.value, protocol: proto, seed: Number(seed.value) || 1, turn_timeout: minutes * 60,
      seats: rows.map((row, i): SeatSpec => kinds[i] === "strategy" ? { kind: "strategy", spec: row.spec.value.trim() } : { kind: "remote" }),
    };
    if (proto === "sao") req.deadline = Number(deadline.value) || undefined;
    if (variant) req.variant = variant;
    if (who.mediated && medKind.value) {
      req.mediator = medKind.value === "strategy" ? { kind: "strategy", spec: medSpec.value.trim() } : { kind: "remote" };
    }
    const medWho = (who.mediated ? medKind.value : "") as SeatKind | "";
    status.textContent = "Creating…";
    try {
      const r = await createNegotiation(adminToken(), req);
      rememberTokens(r.id, { ...r.tokens, parties });
      status.textContent = `Created ${r.id}.`;
      onCreated(r.id, r.tokens, kinds, medWho, parties, minutes);
    } catch (e) {
      status.textContent = `Not created: ${(e as Error).message}`;
    }
  };
  // Quick starts: the ceasefire, played or mediated by the person at the
  // browser, in one click (the form below, filled in and sent).
  const quick = quickStarts(cat, (protocolValue, person, mediatorPerson) => {
    scen.value = "ceasefire"; pick();
    protocol.value = protocolValue; protocolChanged();
    const ps = (cat.scenarios.find((x) => x.name === "ceasefire") as CatalogScenario).parties;
    rows.forEach((r, i) => { r.kind.value = ps[i] === person ? "person" : "strategy"; r.spec.disabled = r.kind.value !== "strategy"; });
    medKind.value = mediatorPerson ? "person" : ""; medSpec.disabled = true;
    form.requestSubmit();
  });
  const form = h("form", { id: "new-negotiation", onsubmit: submit as EventListener },
    h("div", { class: "field" }, h("label", { for: "scenario" }, "Scenario"), scen), desc,
    h("div", { class: "field" }, h("label", { for: "protocol" }, "Protocol"), protocol),
    h("div", { class: "field" }, h("label", { for: "deadline" }, "Deadline (rounds)"), deadline, deadlineHint),
    h("div", { class: "field" }, h("label", { for: "seed" }, "Seed"), seed,
      h("span", { class: "hint" }, "The same seed replays the same random choices.")),
    h("div", { class: "field" }, h("label", { for: "turn-minutes" }, "Time per turn (minutes)"), turnMinutes,
      h("span", { class: "hint" }, "How long a person or a remote agent has for each turn; a seat that misses it ends the negotiation.")),
    seats, medBox, strategies, mediators,
    h("button", { type: "submit", class: "primary" }, "Start the negotiation"), status);
  replace(box, quick, h("h2", { id: "new-h" }, "New negotiation"),
    h("p", { class: "hint" }, "Choose a scenario and a protocol, then who fills each party's seat: a built-in strategy, a person, or a remote program."), form);
  pick();
  protocolChanged();
}

// roles says, from the catalog's stages, who acts under a protocol value
// of the form ("sao", or "staged:" and a variant): the parties that offer
// or vote, whether a stage is mediated, and the mediating party (-1: a
// mediator without interests, or none). Under sao every party offers.
function roles(s: CatalogScenario, protocolValue: string): { acting: Set<number>; mediated: boolean; mediator: number } {
  if (!protocolValue.startsWith("staged:")) return { acting: new Set(s.parties.map((_, i) => i)), mediated: false, mediator: -1 };
  const v = s.variants.find((x) => "staged:" + x.name === protocolValue);
  const acting = new Set<number>();
  let mediated = false, mediator = -1;
  for (const st of v?.stages ?? []) {
    st.participants.forEach((p) => acting.add(p));
    if (st.mechanism === "mediated") { mediated = true; if (st.mediator >= 0) mediator = st.mediator; }
  }
  return { acting, mediated, mediator };
}

function showCreated(box: HTMLElement, id: string, t: Tokens, kinds: SeatKind[], mediator: SeatKind | "", parties: string[], minutes: number) {
  const items = t.seats.map((tok, i) => {
    if (!tok) return null;
    if (kinds[i] === "person") {
      const url = location.origin + "/" + seatLink(id, tok);
      return h("li", null, h("strong", null, `Play ${parties[i] ?? `seat ${i + 1}`}: `), h("a", { href: seatLink(id, tok), class: "join" }, url),
        " (open it here, or send it to whoever plays this seat)");
    }
    return h("li", null, `${parties[i] ?? `Seat ${i + 1}`}'s seat (a remote agent): token `, h("code", null, tok),
      `, API ${location.origin}/negotiations/${id} (docs/server.md)`);
  });
  const people = kinds.filter((k) => k === "person").length + (mediator === "person" ? 1 : 0);
  replace(box, h("h2", null, `Negotiation ${id} started`),
    h("p", { id: "next-step" }, people ? `Next: open a link below now to take that seat: each turn has a time limit of ${minutes === 1 ? "a minute" : minutes + " minutes"}, and a seat that misses it ends the negotiation. `
      : "Next: watch it with the owner's link below. ",
      "A link is the seat's key: whoever has it plays the seat."),
    h("ul", { id: "join-links" }, items,
      t.mediator ? h("li", null, mediator === "person" ? [h("strong", null, "Mediate: "), "the mediator's chair, ",
        h("a", { href: mediateLink(id, t.mediator), class: "join", id: "mediator-link" }, location.origin + "/" + mediateLink(id, t.mediator))]
        : ["The mediator (a remote agent): token ", h("code", null, t.mediator)]) : null),
    h("p", null, h("a", { href: watchLink(id, t.owner), id: "watch-owner" }, "Watch it as the owner"),
      " · to let others watch (no one's preferences shown), send them the observer's link: ",
      h("a", { href: watchLink(id, t.observer), id: "watch-observer", class: "join" }, location.origin + "/" + watchLink(id, t.observer))));
}

// --- polish (issue 12, usability): quick starts and the protocols in
// words.

// quickStarts offers the ceasefire in one click, when the server has it:
// the person at the browser plays UA against the built-in RU in direct
// talks, or takes the US mediator's chair between the built-in RU and UA.
// start fills in the form and sends it.
function quickStarts(cat: Catalog, start: (protocol: string, person: string, mediatorPerson: boolean) => void) {
  const cf = cat.scenarios.find((s) => s.name === "ceasefire");
  const has = (v: string) => !!cf?.variants.some((x) => x.name === v);
  if (!cf || !cf.parties.includes("UA") || !has("bilateral_only") || !has("mediated_from_start")) return null;
  return h("section", { id: "quick", "aria-labelledby": "quick-h" },
    h("h2", { id: "quick-h" }, "Try the ceasefire in one click"),
    h("p", { class: "hint" }, "Russia (RU) and Ukraine (UA) negotiate a ceasefire over nine issues; the United States (US) can mediate. ",
      "The built-in sides are computer strategies."),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "primary", id: "quick-play", onclick: () => start("staged:bilateral_only", "UA", false) },
        "Play Ukraine (UA) against the built-in Russia (RU)"),
      h("button", { type: "button", class: "primary", id: "quick-mediate", onclick: () => start("staged:mediated_from_start", "", true) },
        "Mediate as the United States (US) between the built-in RU and UA")));
}

// stageWords name a declared protocol's stages by their usual names.
const stageNames: Record<string, string> = { bilateral: "direct talks", mediated: "mediation" };

// protocolWords says what a staged protocol (variant name, "" for the
// declared stages) is: "direct talks only (bilateral_only, 120 rounds)".
function protocolWords(name: string, rounds: number): string {
  if (!name) return `In stages, as the scenario declares them (${rounds} rounds)`;
  const carry = /_carry_(\w+)$/.exec(name);
  const carried = !carry ? "" : carry[1] === "none" ? "; nothing carried over between them"
    : carry[1] === "best" ? "; the best acceptable offer carried over, no issue locked" : `; carry ${carry[1]}`;
  const words = name.replace(/_carry_\w+$/, "").split("_then_").map((part) => part.split("_").map((w, i, ws) => {
    if (i === 0) return stageNames[w] ?? w;
    if (w === "from" && ws[i + 1] === "start") return "from the start";
    if (w === "start" && ws[i - 1] === "from") return "";
    if (w === "fallback") return ", with a fallback stage";
    return w;
  }).filter(Boolean).join(" ").replace(/ ,/g, ",")).join(", then ") + carried;
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} (${name}, ${rounds} rounds)`;
}
