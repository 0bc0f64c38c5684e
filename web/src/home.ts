// The home page: the negotiations this server runs, and a form that
// creates one, showing the join links of its remote seats.
import { ApiError, createNegotiation, getCatalog, listNegotiations, type Catalog, type CreateRequest, type SeatSpec, type Tokens } from "./api";
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
  replace(root, h("h1", null, "Parley"), h("p", null, h("a", { href: "#/results", id: "results-link" }, "Results of tournaments and experiments")), created, formBox, list);
  // The form offers the server's catalog (GET /catalog), read again after
  // a failure (say, before the admin token is entered) at each refresh.
  let formLoaded = false, loading = false;
  const loadForm = async () => {
    if (formLoaded || loading) return;
    loading = true;
    try {
      const catalog = await getCatalog(adminToken());
      formLoaded = true;
      if (!stopped) newForm(formBox, catalog, (id, tokens, kinds, med, parties) => { showCreated(created, id, tokens, kinds, med, parties); refresh(); });
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
            h("td", null, t ? [h("a", { href: watchLink(n.id, t.owner), class: "watch" }, "watch"),
              t.seats.map((s, i) => s ? [" · ", h("a", { href: seatLink(n.id, s) }, `seat ${i + 1}`)] : null)]
              : "created elsewhere"));
        })));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) admin.open = true;
    rows = h("p", { class: "error", role: "alert" }, `Cannot list negotiations: ${(e as Error).message}`);
  }
  replace(box, h("h2", { id: "list-h" }, "Negotiations"), rows, admin);
  if (focusId) document.getElementById(focusId)?.focus();
}

function newForm(box: HTMLElement, cat: Catalog, onCreated: (id: string, t: Tokens, kinds: SeatKind[], mediator: SeatKind | "", parties: string[]) => void) {
  const scen = h("select", { id: "scenario", name: "scenario" },
    cat.scenarios.map((s) => h("option", { value: s.name }, s.name)));
  const protocol = h("select", { id: "protocol", name: "protocol" });
  const deadline = h("input", { id: "deadline", name: "deadline", type: "number", min: 1, step: 1 });
  const seed = h("input", { id: "seed", name: "seed", type: "number", min: 1, step: 1, value: 1 });
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
  const medBox = h("fieldset", { id: "mediator" }, h("legend", null, "Mediator (staged protocols with a mediated stage)"),
    h("div", { class: "field" }, h("label", { for: "mediator-kind" }, "Mediator's chair"), medKind),
    h("div", { class: "field" }, h("label", { for: "mediator-spec" }, "Mediator strategy"), medSpec));
  let rows: { kind: HTMLSelectElement; spec: HTMLInputElement; row: HTMLElement }[] = [];

  const pick = () => {
    const s = cat.scenarios.find((x) => x.name === scen.value) || cat.scenarios[0];
    desc.textContent = `${s.description} ${s.parties.length} parties, ${s.outcomes.toLocaleString("en")} outcomes.`;
    const staged = s.protocols.includes("staged") ? s.variants : [];
    replace(protocol, h("option", { value: "sao" }, "alternating offers (all parties at the table)"),
      staged.map((v) => h("option", { value: "staged:" + v.name },
        `staged: ${v.name ? v.name.replace(/_/g, " ") : "the scenario's declared stages"} (${v.rounds} rounds)`)));
    rows = s.parties.map((p, i) => {
      const kid = uid("kind"), sid = uid("spec");
      const kind = h("select", { id: kid, name: `seat-${i}-kind` },
        h("option", { value: "strategy" }, "built-in strategy"),
        h("option", { value: "person" }, "a person (join link)"),
        h("option", { value: "agent" }, "a remote agent (token)"));
      const spec = h("input", { id: sid, name: `seat-${i}-spec`, list: "strategies", value: "boulware", autocomplete: "off" });
      kind.addEventListener("change", () => { spec.disabled = kind.value !== "strategy"; });
      return { kind, spec, row: h("div", { class: "seat" }, h("span", { class: "party" }, p),
        h("label", { for: kid }, `${p} seat`), kind, h("label", { for: sid }, `${p} strategy`), spec) };
    });
    replace(seats, h("legend", null, "Seats"), rows.map((r) => r.row));
  };
  scen.addEventListener("change", () => { pick(); protocolChanged(); });
  // A staged protocol's stages set their own rounds: the deadline shows them.
  const protocolChanged = () => {
    const s = cat.scenarios.find((x) => x.name === scen.value) || cat.scenarios[0];
    const v = protocol.value.startsWith("staged:") ? s.variants.find((x) => "staged:" + x.name === protocol.value) : undefined;
    deadline.value = String(v ? v.rounds : s.deadline);
    deadline.disabled = protocol.value !== "sao"; medBox.hidden = protocol.value === "sao";
  };
  protocol.addEventListener("change", protocolChanged);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const [proto, variant] = protocol.value.split(":");
    const kinds = rows.map((r) => r.kind.value as SeatKind);
    const parties = (cat.scenarios.find((x) => x.name === scen.value) || cat.scenarios[0]).parties;
    const req: CreateRequest = {
      scenario: scen.value, protocol: proto, seed: Number(seed.value) || 1,
      seats: rows.map((r): SeatSpec => r.kind.value === "strategy" ? { kind: "strategy", spec: r.spec.value.trim() } : { kind: "remote" }),
    };
    if (proto === "sao") req.deadline = Number(deadline.value) || undefined;
    if (variant) req.variant = variant;
    if (proto !== "sao" && medKind.value) {
      req.mediator = medKind.value === "strategy" ? { kind: "strategy", spec: medSpec.value.trim() } : { kind: "remote" };
    }
    const medWho = medKind.value as SeatKind | "";
    status.textContent = "Creating…";
    try {
      const r = await createNegotiation(adminToken(), req);
      rememberTokens(r.id, r.tokens);
      status.textContent = `Created ${r.id}.`;
      onCreated(r.id, r.tokens, kinds, medWho, parties);
    } catch (e) {
      status.textContent = `Not created: ${(e as Error).message}`;
    }
  };
  const form = h("form", { id: "new-negotiation", onsubmit: submit as EventListener },
    h("div", { class: "field" }, h("label", { for: "scenario" }, "Scenario"), scen), desc,
    h("div", { class: "field" }, h("label", { for: "protocol" }, "Protocol"), protocol),
    h("div", { class: "field" }, h("label", { for: "deadline" }, "Deadline (rounds)"), deadline),
    h("div", { class: "field" }, h("label", { for: "seed" }, "Seed"), seed),
    seats, medBox, strategies, mediators,
    h("button", { type: "submit", class: "primary" }, "Start the negotiation"), status);
  replace(box, h("h2", { id: "new-h" }, "New negotiation"), form);
  pick();
  protocolChanged();
}

function showCreated(box: HTMLElement, id: string, t: Tokens, kinds: SeatKind[], mediator: SeatKind | "", parties: string[]) {
  const items = t.seats.map((tok, i) => {
    if (!tok) return null;
    if (kinds[i] === "person") {
      const url = location.origin + "/" + seatLink(id, tok);
      return h("li", null, `${parties[i] ?? `Seat ${i + 1}`}'s seat (a person): `, h("a", { href: seatLink(id, tok), class: "join" }, url));
    }
    return h("li", null, `${parties[i] ?? `Seat ${i + 1}`}'s seat (a remote agent): token `, h("code", null, tok),
      `, API ${location.origin}/negotiations/${id} (docs/server.md)`);
  });
  replace(box, h("h2", null, `Negotiation ${id} started`),
    h("p", null, "Send each seat its link; the link is the seat's key: whoever has it plays the seat."),
    h("ul", { id: "join-links" }, items,
      t.mediator ? h("li", null, mediator === "person" ? ["The mediator's chair (a person): ",
        h("a", { href: mediateLink(id, t.mediator), class: "join", id: "mediator-link" }, location.origin + "/" + mediateLink(id, t.mediator))]
        : ["The mediator (a remote agent): token ", h("code", null, t.mediator)]) : null),
    h("p", null, h("a", { href: watchLink(id, t.owner), id: "watch-owner" }, "Watch it as the owner"),
      " · to let others watch (no one's preferences shown), send them the observer's link: ",
      h("a", { href: watchLink(id, t.observer), id: "watch-observer", class: "join" }, location.origin + "/" + watchLink(id, t.observer))));
}
