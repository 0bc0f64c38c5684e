// A scatter plot of a utility space on a <canvas>: every outcome as a
// pixel-sized point written in one pass into an ImageData (no DOM node per
// point, smooth at 10^5–10^6 points), lines and markers drawn on top, and
// a grid index that finds the point nearest the pointer. Both axes run
// from 0 to 1, the range of Parley's utilities.

// The charts' colours live once, in style.css, as custom properties on
// :root (--oi-*, --chart-1..8, --ink, --chart-grey...); cssColour reads
// one as "#rrggbb", once (the style sheet loads before the script).
const colourCache = new Map<string, string>();
export function cssColour(name: string): string {
  let v = colourCache.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim().toLowerCase();
    // Without the style sheet (a page that failed to load it), black.
    if (!/^#[0-9a-f]{6}$/.test(v)) return "#000000";
    colourCache.set(name, v);
  }
  return v;
}

// okabeIto is the Okabe–Ito palette, which stays distinct under the common
// colour-vision deficiencies (Okabe and Ito, "Color Universal Design",
// 2002), as style.css defines it.
export const okabeIto = {
  get black() { return cssColour("--oi-black"); }, get orange() { return cssColour("--oi-orange"); },
  get sky() { return cssColour("--oi-sky-blue"); }, get green() { return cssColour("--oi-bluish-green"); },
  get yellow() { return cssColour("--oi-yellow"); }, get blue() { return cssColour("--oi-blue"); },
  get vermillion() { return cssColour("--oi-vermillion"); }, get purple() { return cssColour("--oi-reddish-purple"); },
};

// greys are the charts' neutral colours (style.css): ink for axes and
// reservation lines, grey for a frontier in the background, light grey
// for outcomes across a red line, muted for bars of weights.
export const greys = {
  get ink() { return cssColour("--ink"); }, get grey() { return cssColour("--chart-grey"); },
  get light() { return cssColour("--chart-crossed"); }, get muted() { return cssColour("--muted"); },
};

// partyColour is party p's colour, --chart-(p+1) for the first six
// parties (-1, the mediator: black).
export function partyColour(p: number): string {
  return p < 0 ? okabeIto.black : cssColour(`--chart-${(p % 6) + 1}`);
}

export type Shape = "diamond" | "triangle" | "square" | "circle" | "star";

// Plot maps utilities to a canvas's pixels and draws on it.
export class Plot {
  readonly ctx: CanvasRenderingContext2D;
  readonly w: number; // CSS pixels
  readonly h: number;
  readonly dpr: number;
  readonly m = { left: 52, right: 16, top: 14, bottom: 44 };

  constructor(readonly canvas: HTMLCanvasElement, size: number) {
    this.dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
    this.w = size; this.h = size;
    canvas.width = size * this.dpr; canvas.height = size * this.dpr;
    canvas.style.width = "100%"; canvas.style.maxWidth = size + "px";
    this.ctx = canvas.getContext("2d")!;
    this.ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
  }

  // px and py are the CSS pixel coordinates of utilities x and y.
  px(u: number) { return this.m.left + Math.min(1, Math.max(0, u)) * (this.w - this.m.left - this.m.right); }
  py(u: number) { return this.h - this.m.bottom - Math.min(1, Math.max(0, u)) * (this.h - this.m.top - this.m.bottom); }

  // clear paints the background white.
  clear() {
    this.ctx.fillStyle = "#fff";
    this.ctx.fillRect(0, 0, this.w, this.h);
  }

  // points writes point i at (xs[i], ys[i]) in the colour of class
  // cls(i) (an index into colours; a later class is drawn over an earlier
  // one at the same pixel), as squares of a size that suits their number,
  // in one pass over an ImageData. It replaces the canvas's pixels: call it
  // before drawing anything else.
  points(xs: Float32Array, ys: Float32Array, cls: Uint8Array, colours: string[]) {
    const W = this.canvas.width, H = this.canvas.height, d = this.dpr;
    const img = this.ctx.createImageData(W, H);
    const px = new Uint32Array(img.data.buffer);
    px.fill(0xffffffff); // white, opaque
    const rgba = colours.map(packColour);
    const rank = new Uint8Array(W * H); // 1 + the class drawn at a pixel
    const n = xs.length;
    const side = (n > 50000 ? 1 : n > 5000 ? 2 : n > 500 ? 3 : 5) * d;
    const half = Math.floor(side / 2);
    for (let i = 0; i < n; i++) {
      const c = cls[i];
      const x0 = Math.round(this.px(xs[i]) * d) - half, y0 = Math.round(this.py(ys[i]) * d) - half;
      for (let y = y0; y < y0 + side; y++) {
        if (y < 0 || y >= H) continue;
        for (let x = x0; x < x0 + side; x++) {
          if (x < 0 || x >= W) continue;
          const k = y * W + x;
          if (rank[k] > c + 1) continue;
          rank[k] = c + 1;
          px[k] = rgba[c];
        }
      }
    }
    this.ctx.putImageData(img, 0, 0);
  }

  // axes draws both axes with ticks every 0.2 and their labels.
  axes(xLabel: string, yLabel: string) {
    const c = this.ctx;
    c.save();
    c.strokeStyle = greys.ink; c.fillStyle = greys.ink; c.lineWidth = 1;
    c.font = "12px system-ui, sans-serif";
    c.beginPath();
    c.moveTo(this.px(0), this.py(1)); c.lineTo(this.px(0), this.py(0)); c.lineTo(this.px(1), this.py(0));
    c.stroke();
    for (let t = 0; t <= 5; t++) {
      const u = t / 5, s = u.toFixed(1);
      c.beginPath(); c.moveTo(this.px(u), this.py(0)); c.lineTo(this.px(u), this.py(0) + 5); c.stroke();
      c.beginPath(); c.moveTo(this.px(0), this.py(u)); c.lineTo(this.px(0) - 5, this.py(u)); c.stroke();
      c.textAlign = "center"; c.textBaseline = "top"; c.fillText(s, this.px(u), this.py(0) + 7);
      c.textAlign = "right"; c.textBaseline = "middle"; c.fillText(s, this.px(0) - 8, this.py(u));
    }
    c.font = "13px system-ui, sans-serif";
    c.textAlign = "center"; c.textBaseline = "bottom";
    c.fillText(xLabel, (this.px(0) + this.px(1)) / 2, this.h - 2);
    c.translate(12, (this.py(0) + this.py(1)) / 2); c.rotate(-Math.PI / 2);
    c.textBaseline = "middle"; c.fillText(yLabel, 0, 0);
    c.restore();
  }

  // path draws a polyline through utility pairs; frac (0..1) draws only
  // that part of its last segment, for animation.
  path(pts: [number, number][], colour: string, width: number, dash: number[] = [], frac = 1) {
    if (pts.length < 2) return;
    const c = this.ctx;
    c.save();
    c.strokeStyle = colour; c.lineWidth = width; c.setLineDash(dash); c.lineJoin = "round";
    c.beginPath();
    c.moveTo(this.px(pts[0][0]), this.py(pts[0][1]));
    for (let i = 1; i < pts.length; i++) {
      let [x, y] = pts[i];
      if (i === pts.length - 1 && frac < 1) {
        const [x0, y0] = pts[i - 1];
        x = x0 + (x - x0) * frac; y = y0 + (y - y0) * frac;
      }
      c.lineTo(this.px(x), this.py(y));
    }
    c.stroke();
    c.restore();
  }

  // reservation draws the dashed reservation lines x = rx and y = ry.
  reservation(rx: number, ry: number) {
    const c = this.ctx;
    c.save();
    c.strokeStyle = greys.ink; c.lineWidth = 1.2; c.setLineDash([5, 4]);
    c.beginPath(); c.moveTo(this.px(rx), this.py(0)); c.lineTo(this.px(rx), this.py(1)); c.stroke();
    c.beginPath(); c.moveTo(this.px(0), this.py(ry)); c.lineTo(this.px(1), this.py(ry)); c.stroke();
    c.restore();
  }

  // marker draws a shape with a black outline at (x, y) and, when given,
  // a label beside it (line: which of several labels at one place).
  marker(x: number, y: number, shape: Shape, colour: string, size = 7, label?: string, line = 0) {
    const c = this.ctx, X = this.px(x), Y = this.py(y), r = size;
    c.save();
    c.fillStyle = colour; c.strokeStyle = okabeIto.black; c.lineWidth = 1.5;
    c.beginPath();
    switch (shape) {
      case "diamond": c.moveTo(X, Y - r); c.lineTo(X + r, Y); c.lineTo(X, Y + r); c.lineTo(X - r, Y); c.closePath(); break;
      case "triangle": c.moveTo(X, Y - r); c.lineTo(X + r, Y + r * 0.8); c.lineTo(X - r, Y + r * 0.8); c.closePath(); break;
      case "square": c.rect(X - r * 0.8, Y - r * 0.8, r * 1.6, r * 1.6); break;
      case "circle": c.arc(X, Y, r * 0.7, 0, 2 * Math.PI); break;
      case "star":
        for (let k = 0; k < 10; k++) {
          const a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 ? r * 0.45 : r * 1.2;
          if (k === 0) c.moveTo(X + rr * Math.cos(a), Y + rr * Math.sin(a)); else c.lineTo(X + rr * Math.cos(a), Y + rr * Math.sin(a));
        }
        c.closePath();
        break;
    }
    c.fill(); c.stroke();
    if (label) {
      c.font = "600 13px system-ui, sans-serif";
      c.textBaseline = "middle";
      const left = X > this.w - 160;
      c.textAlign = left ? "right" : "left";
      const tx = left ? X - r - 5 : X + r + 5, ty = Y - 10 - line * 16;
      c.lineWidth = 4; c.strokeStyle = "#fff"; c.strokeText(label, tx, ty);
      c.fillStyle = okabeIto.black; c.fillText(label, tx, ty);
    }
    c.restore();
  }

  // utilityAt returns the utilities at a pointer event's position.
  utilityAt(ev: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    const x = (ev.clientX - r.left) * this.w / r.width, y = (ev.clientY - r.top) * this.h / r.height;
    return [(x - this.m.left) / (this.w - this.m.left - this.m.right), (this.h - this.m.bottom - y) / (this.h - this.m.top - this.m.bottom)];
  }
}

// packColour is "#RRGGBB" as a little-endian RGBA pixel, opaque.
function packColour(hex: string): number {
  const v = parseInt(hex.slice(1), 16);
  return (0xff << 24 | (v & 0xff) << 16 | (v >> 8 & 0xff) << 8 | v >> 16 & 0xff) >>> 0;
}

// Grid finds the point nearest a position: the points are bucketed into
// G×G cells over the unit square (counting sort, two passes), and a query
// searches rings of cells outwards.
export class Grid {
  private start: Int32Array;
  private items: Int32Array;
  constructor(private xs: Float32Array, private ys: Float32Array, private G = 128) {
    const n = xs.length, cells = G * G;
    this.start = new Int32Array(cells + 1);
    const cell = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cell[i] = this.cellOf(xs[i], ys[i]);
      this.start[cell[i] + 1]++;
    }
    for (let c = 0; c < cells; c++) this.start[c + 1] += this.start[c];
    const fill = this.start.slice(0, cells);
    this.items = new Int32Array(n);
    for (let i = 0; i < n; i++) this.items[fill[cell[i]]++] = i;
  }

  private clampCell(v: number) { return Math.min(this.G - 1, Math.max(0, Math.floor(v * this.G))); }
  private cellOf(x: number, y: number) { return this.clampCell(y) * this.G + this.clampCell(x); }

  // nearest returns the point nearest (x, y) within distance max (in
  // utility), or -1.
  nearest(x: number, y: number, max: number): number {
    const G = this.G, cx = this.clampCell(x), cy = this.clampCell(y);
    let best = -1, bd = max * max;
    const rings = Math.ceil(max * G) + 1;
    for (let r = 0; r <= rings; r++) {
      if (best >= 0 && (r - 1) / G > Math.sqrt(bd)) break;
      for (let gy = cy - r; gy <= cy + r; gy++) {
        if (gy < 0 || gy >= G) continue;
        for (let gx = cx - r; gx <= cx + r; gx++) {
          if (gx < 0 || gx >= G || (Math.abs(gx - cx) !== r && Math.abs(gy - cy) !== r)) continue;
          const c = gy * G + gx;
          for (let k = this.start[c]; k < this.start[c + 1]; k++) {
            const i = this.items[k], dx = this.xs[i] - x, dy = this.ys[i] - y, d = dx * dx + dy * dy;
            if (d < bd) { bd = d; best = i; }
          }
        }
      }
    }
    return best;
  }
}

// legend lists what the plot's colours and shapes mean, as text.
export function legendItem(colour: string, shape: Shape | "line" | "dash" | "point", text: string): HTMLLIElement {
  const li = document.createElement("li");
  const sw = document.createElement("span");
  sw.className = "swatch swatch-" + shape;
  sw.style.setProperty("--swatch", colour);
  sw.setAttribute("aria-hidden", "true");
  li.append(sw, text);
  return li;
}
