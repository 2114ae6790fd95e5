/**
 * The small pieces every report chart is drawn with: escaping, number formats, linear scales, "nice"
 * ticks, calendar ticks for time axes, the plot frame with gridlines and labels, and the <svg> wrapper.
 * Plain strings, no DOM: the report is one static HTML file with no scripts.
 */

export const W = 960;
export const H = 300;
export const M = { top: 14, right: 18, bottom: 34, left: 70 } as const;

export const INK = '#1f2933';
export const GRID = '#e4e7eb';
export const MUTED = '#7b8794';
export const PALETTE = {
  strategy: '#2563eb',
  benchmark: '#9aa5b1',
  loss: '#dc2626',
  gain: '#16a34a',
  accent: '#7c3aed',
  warn: '#d97706',
} as const;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A label-sized number: thousands separators, k/M suffixes from 100,000, up to `digits` decimals. */
export function fmtNum(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a >= 1e9) return `${trim((x / 1e9).toFixed(2))}B`;
  if (a >= 1e6) return `${trim((x / 1e6).toFixed(2))}M`;
  if (a >= 1e5) return `${trim((x / 1e3).toFixed(1))}k`;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A fraction as a percentage: 0.1234 → "12.3%". */
export function fmtPct(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  const s = (x * 100).toFixed(digits);
  return `${/^-0\.?0*$/.test(s) ? s.slice(1) : s}%`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Maps [d0, d1] onto [r0, r1]; a degenerate domain maps to the middle of the range. */
export function scale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Finite min and max over the arrays ([0, 1] when none is finite; widened when lo = hi). */
export function extent(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of arrays)
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (!Number.isFinite(x)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return lo === 0 ? [-1, 1] : [lo - Math.abs(lo) * 0.1, hi + Math.abs(hi) * 0.1];
  return [lo, hi];
}

/** The tick step: 1, 2, 2.5 or 5 × 10^k, giving about `count` intervals over [lo, hi]. */
export function niceStep(lo: number, hi: number, count = 5): number {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0)) return Math.abs(lo) || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => raw <= s * (1 + 1e-9)) ?? 10 * p;
}

/** About `count` round values (a niceStep apart) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const step = niceStep(lo, hi, count);
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++)
    out.push(Number((i * step).toPrecision(12)) + 0); // + 0 turns -0 into 0
  return out;
}

/** The domain widened outwards to whole steps, so the plot starts and ends on a gridline. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  const step = niceStep(lo, hi, count);
  return [Math.floor(lo / step + 1e-9) * step + 0, Math.ceil(hi / step - 1e-9) * step + 0];
}

/** A tick formatter for values up to `maxAbs`: one unit (k, M) for every tick of an axis. */
export function axisFormat(maxAbs: number, digits = 0): (v: number) => string {
  if (maxAbs >= 1e6) return (v) => (v === 0 ? '0' : `${trim((v / 1e6).toFixed(2))}M`);
  if (maxAbs >= 1e4) return (v) => (v === 0 ? '0' : `${trim((v / 1e3).toFixed(1))}k`);
  return (v) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTH_NAMES: readonly string[] = MONTHS;

export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** Calendar ticks on a µs axis (UTC): whole years, quarters, months or days, about 6–12 of them. */
export function timeTicks(lo: number, hi: number): Tick[] {
  const days = (hi - lo) / 86_400e6;
  const a = new Date(lo / 1000);
  const out: Tick[] = [];
  if (days > 365 * 3) {
    const every = Math.max(1, Math.ceil(days / 365 / 12));
    for (let y = a.getUTCFullYear() + 1; ; y += every) {
      const us = Date.UTC(y, 0, 1) * 1000;
      if (us > hi) break;
      out.push({ value: us, label: String(y) });
    }
    return out;
  }
  if (days > 45) {
    const every = days > 365 ? 3 : days > 180 ? 2 : 1;
    for (let m = a.getUTCFullYear() * 12 + a.getUTCMonth() + 1; ; m++) {
      if ((m % 12) % every) continue;
      const us = Date.UTC(Math.floor(m / 12), m % 12, 1) * 1000;
      if (us > hi) break;
      const label = m % 12 === 0 ? String(Math.floor(m / 12)) : MONTHS[m % 12]!;
      out.push({ value: us, label });
    }
    return out;
  }
  const step = Math.max(1, Math.ceil(days / 10)) * 86_400e6;
  for (let us = Math.ceil(lo / 86_400e6) * 86_400e6; us <= hi; us += step)
    out.push({ value: us, label: isoDay(us).slice(5) });
  return out;
}

export function isoDay(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}

export interface Frame {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
  readonly svg: string;
}

export interface FrameOptions {
  readonly xTicks: readonly Tick[];
  readonly yFormat: (v: number) => string;
  readonly yTitle?: string;
  readonly xTitle?: string;
  readonly yTickCount?: number;
}

/** Gridlines, tick marks, tick labels and axis titles for the domains [x0, x1] × [y0, y1]. */
export function frame(xd: [number, number], yd: [number, number], o: FrameOptions): Frame {
  const x = scale(xd[0], xd[1], M.left, W - M.right);
  const y = scale(yd[0], yd[1], H - M.bottom, M.top);
  const p: string[] = [];
  const r = (v: number) => v.toFixed(1);
  for (const t of niceTicks(yd[0], yd[1], o.yTickCount ?? 5)) {
    if (t < yd[0] - 1e-12 || t > yd[1] + 1e-12) continue;
    p.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="${GRID}"/>`,
      `<text x="${M.left - 8}" y="${r(y(t) + 4)}" text-anchor="end" fill="${MUTED}">${esc(o.yFormat(t))}</text>`,
    );
  }
  for (const t of o.xTicks) {
    const xv = r(x(t.value));
    p.push(
      `<line x1="${xv}" x2="${xv}" y1="${M.top}" y2="${H - M.bottom}" stroke="${GRID}" stroke-dasharray="2 3"/>`,
      `<text x="${xv}" y="${H - M.bottom + 16}" text-anchor="middle" fill="${MUTED}">${esc(t.label)}</text>`,
    );
  }
  p.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="${INK}"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="${INK}"/>`,
  );
  if (o.yTitle)
    p.push(
      `<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="${INK}">${esc(o.yTitle)}</text>`,
    );
  if (o.xTitle)
    p.push(
      `<text x="${(M.left + W - M.right) / 2}" y="${H - 4}" text-anchor="middle" fill="${INK}">${esc(o.xTitle)}</text>`,
    );
  return { x, y, svg: p.join('') };
}

/** A legend row in the plot's top-left corner: a swatch and a name per entry. */
export function legend(entries: readonly { name: string; color: string; dash?: boolean }[]): string {
  let x = M.left + 10;
  const parts: string[] = [];
  for (const e of entries) {
    const dash = e.dash ? ' stroke-dasharray="5 3"' : '';
    parts.push(
      `<line x1="${x}" x2="${x + 18}" y1="${M.top + 12}" y2="${M.top + 12}" stroke="${e.color}" stroke-width="3"${dash}/>`,
      `<text x="${x + 24}" y="${M.top + 16}" fill="${INK}">${esc(e.name)}</text>`,
    );
    x += 34 + e.name.length * 6.6;
  }
  const width = x - M.left - 6;
  return `<g class="legend"><rect x="${M.left + 4}" y="${M.top + 2}" width="${width.toFixed(0)}" height="20" rx="3" fill="#fff" fill-opacity="0.85"/>${parts.join('')}</g>`;
}

/** The <svg> element: scalable, with an accessible name and a <title> tooltip for the whole chart. */
export function svgDoc(body: string, title: string, height = H): string {
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${height}" preserveAspectRatio="xMidYMid meet" ` +
    `font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title>${body}</svg>`
  );
}

/** An SVG path through (xs[i], ys[i]); non-finite points leave a gap. */
export function linePath(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i]!;
    const b = ys[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(a).toFixed(1)} ${y(b).toFixed(1)}`;
    pen = true;
  }
  return d;
}
