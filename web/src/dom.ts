// A tiny DOM builder: h("p", {class: "x"}, "text", child).

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

// replace puts children in place of el's content.
export function replace(el: Element, ...children: Child[]) {
  el.textContent = "";
  append(el, children);
}

// fmt shows a utility with 3 decimals.
export const fmt = (u: number) => (Number.isFinite(u) ? u.toFixed(3) : "–");

// label shows a name of the scenario (an issue, a value, a stage) as
// words: "us_article5_like" reads "us article5 like".
export const label = (s: string) => s.replace(/_/g, " ");

let ids = 0;
// uid returns a fresh element id for labels.
export const uid = (p: string) => `${p}-${++ids}`;
