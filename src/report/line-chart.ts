import {
  GRID,
  H,
  INK,
  M,
  W,
  esc,
  extent,
  frame,
  isoDay,
  legend,
  linePath,
  niceDomain,
  svgDoc,
  timeTicks,
} from './svg.js';

export interface LineSeries {
  readonly name: string;
  readonly values: ArrayLike<number>;
  readonly color: string;
  readonly dash?: boolean;
  /** Shade between the line and `baseline` (underwater drawdown, exposure). */
  readonly fill?: boolean;
}

/** A moment marked on the time axis (a risk event): a tick under the plot with a tooltip. */
export interface TimeMarker {
  readonly ts: number;
  readonly label: string;
  readonly color: string;
}

export interface LineChartOptions {
  readonly title: string;
  /** Timestamps (µs, UTC), shared by every series. */
  readonly ts: ArrayLike<number>;
  readonly series: readonly LineSeries[];
  /** Formats values in tooltips (and on the axis unless `axisFormat` is given). */
  readonly yFormat: (v: number) => string;
  readonly axisFormat?: (v: number) => string;
  readonly yTitle?: string;
  /** A horizontal reference line (0 for drawdown and Sharpe) and the base of filled areas. */
  readonly baseline?: number;
  /** Domain overrides, e.g. [min, 0] for drawdowns. */
  readonly yMin?: number;
  readonly yMax?: number;
  readonly markers?: readonly TimeMarker[];
  /** Points kept per series at most (min and max per bucket are kept, so extremes survive). */
  readonly maxPoints?: number;
  /** Vertical hover strips, each with a tooltip listing the date and every series' value. */
  readonly hoverStrips?: number;
}

/**
 * Indices to draw when a series is longer than `max`: per bucket of consecutive points, the first
 * point, the lowest and the highest of the first series, and the last point of the whole series.
 */
export function thinIndices(n: number, primary: ArrayLike<number>, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(max / 3));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (primary[i]! < primary[lo]!) lo = i;
      if (primary[i]! > primary[hi]!) hi = i;
    }
    for (const i of [...new Set([from, lo, hi])].sort((a, b) => a - b)) out.push(i);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

function pick(xs: ArrayLike<number>, idx: readonly number[]): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = xs[idx[k]!]!;
  return out;
}

/** Lines over time with a calendar x axis, a legend, optional filled areas, markers and tooltips. */
export function lineChart(o: LineChartOptions): string {
  const n = o.ts.length;
  if (n === 0 || o.series.length === 0) return emptyChart(o.title);
  const idx = thinIndices(n, o.series[0]!.values, o.maxPoints ?? 1500);
  const ts = pick(o.ts, idx);
  const ys = o.series.map((s) => pick(s.values, idx));
  const xd: [number, number] = [ts[0]!, ts[ts.length - 1]!];
  let [lo, hi] = extent(...ys, o.baseline !== undefined ? [o.baseline] : []);
  if (o.yMin !== undefined) lo = Math.min(lo, o.yMin);
  if (o.yMax !== undefined) hi = Math.max(hi, o.yMax);
  const yd = niceDomain(lo, hi);
  const f = frame(xd, yd, {
    xTicks: timeTicks(xd[0], xd[1]),
    yFormat: o.axisFormat ?? o.yFormat,
    ...(o.yTitle ? { yTitle: o.yTitle } : {}),
  });
  const parts: string[] = [f.svg];
  const base = o.baseline ?? yd[0];
  o.series.forEach((s, k) => {
    if (!s.fill) return;
    const d = linePath(ts, ys[k]!, f.x, f.y);
    if (!d) return;
    const y0 = f.y(base).toFixed(1);
    parts.push(
      `<path d="${d}L${f.x(xd[1]).toFixed(1)} ${y0}L${f.x(xd[0]).toFixed(1)} ${y0}Z" fill="${s.color}" fill-opacity="0.22" stroke="none"/>`,
    );
  });
  if (o.baseline !== undefined && o.baseline > yd[0] && o.baseline < yd[1])
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${f.y(o.baseline).toFixed(1)}" y2="${f.y(o.baseline).toFixed(1)}" stroke="${INK}" stroke-width="0.8"/>`,
    );
  // The first series is drawn last, on top of the others.
  for (let k = o.series.length - 1; k >= 0; k--) {
    const s = o.series[k]!;
    const dash = s.dash ? ' stroke-dasharray="5 3"' : '';
    parts.push(
      `<path d="${linePath(ts, ys[k]!, f.x, f.y)}" fill="none" stroke="${s.color}" stroke-width="${k === 0 ? 1.8 : 1.3}" stroke-linejoin="round"${dash}><title>${esc(s.name)}</title></path>`,
    );
  }
  parts.push(hoverStrips(o, f.x, xd, o.hoverStrips ?? 120));
  for (const mk of o.markers ?? []) {
    if (mk.ts < xd[0] || mk.ts > xd[1]) continue;
    const x = f.x(mk.ts).toFixed(1);
    const yb = H - M.bottom;
    parts.push(
      `<g class="marker"><line x1="${x}" x2="${x}" y1="${M.top}" y2="${yb}" stroke="${mk.color}" stroke-opacity="0.3"/>` +
        `<path d="M${x} ${yb - 9}l5 9h-10z" fill="${mk.color}"/><title>${esc(mk.label)}</title></g>`,
    );
  }
  if (o.series.length > 1 || o.markers?.length)
    parts.push(
      legend([
        ...o.series.map((s) => ({ name: s.name, color: s.color, ...(s.dash ? { dash: true } : {}) })),
        ...(o.markers?.length ? [{ name: 'risk event', color: o.markers[0]!.color }] : []),
      ]),
    );
  return svgDoc(parts.join(''), o.title);
}

/** Transparent strips across the plot; hovering one shows the date and the series' values there. */
function hoverStrips(
  o: LineChartOptions,
  x: (v: number) => number,
  xd: [number, number],
  count: number,
): string {
  const n = o.ts.length;
  const strips = Math.min(count, n);
  const out: string[] = [];
  for (let s = 0; s < strips; s++) {
    const i0 = Math.floor((s * n) / strips);
    const i1 = Math.max(i0, Math.floor(((s + 1) * n) / strips) - 1);
    const x0 = s === 0 ? M.left : x(o.ts[i0]!);
    const x1 = s === strips - 1 ? W - M.right : x(o.ts[Math.min(n - 1, i1 + 1)]!);
    if (!(x1 > x0) || o.ts[i1]! < xd[0]) continue;
    const lines = o.series.map((se) => `${se.name}: ${o.yFormat(se.values[i1]!)}`);
    out.push(
      `<rect x="${x0.toFixed(1)}" y="${M.top}" width="${(x1 - x0).toFixed(1)}" height="${H - M.top - M.bottom}" fill="#000" fill-opacity="0"><title>${esc(`${isoDay(o.ts[i1]!)}\n${lines.join('\n')}`)}</title></rect>`,
    );
  }
  return `<g class="hover">${out.join('')}</g>`;
}

export function emptyChart(title: string, message = 'no data'): string {
  return svgDoc(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="${GRID}"/>` +
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="${INK}">${esc(message)}</text>`,
    title,
  );
}
