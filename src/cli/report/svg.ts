/** Shared pieces of the report charts: escaping, scales, tick choice and the plot frame (inline SVG). */

export const WIDTH = 720;
export const HEIGHT = 320;
export const MARGIN = { top: 16, right: 20, bottom: 44, left: 64 } as const;
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'] as const;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A short number for labels: 3 significant digits, k/M suffixes for large values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(x / 1e3).toPrecision(3)}k`;
  if (a === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

/** Maps [d0, d1] onto [r0, r1]; a degenerate domain maps to the middle. */
export function scale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Finite min and max of the values (0..1 when there are none), padded when equal. */
export function extent(xs: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs)
    if (Number.isFinite(x)) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** About `count` round tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => raw <= s) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export interface Frame {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
  /** The axes, grid lines and labels. */
  readonly svg: string;
}

/** Axes for numeric x and y domains; `xLabel` formats x ticks (e.g. dates). */
export function frame(
  xd: [number, number],
  yd: [number, number],
  o: { xTitle?: string; yTitle?: string; xLabel?: (v: number) => string; xTicks?: number[] } = {},
): Frame {
  const x = scale(xd[0], xd[1], MARGIN.left, WIDTH - MARGIN.right);
  const y = scale(yd[0], yd[1], HEIGHT - MARGIN.bottom, MARGIN.top);
  const parts: string[] = [];
  for (const t of ticks(yd[0], yd[1]))
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${esc(fmt(t))}</text>`,
    );
  const label = o.xLabel ?? fmt;
  for (const t of o.xTicks ?? ticks(xd[0], xd[1], 6))
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom + 4}" stroke="#333"/>`,
      `<text x="${x(t)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${esc(label(t))}</text>`,
    );
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#333"/>`,
  );
  if (o.xTitle)
    parts.push(
      `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${esc(o.xTitle)}</text>`,
    );
  if (o.yTitle)
    parts.push(
      `<text transform="translate(14 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yTitle)}</text>`,
    );
  return { x, y, svg: parts.join('') };
}

export function svgDoc(body: string, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" ` +
    `font-family="sans-serif" font-size="11" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`
  );
}

/** An SVG path through the points, skipping non-finite ones (a gap). */
export function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, x: Frame['x'], y: Frame['y']): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i]!;
    const b = ys[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Date label for a µs timestamp tick. */
export function dateLabel(us: number): string {
  return new Date(us / 1000).toISOString().slice(0, 10);
}
