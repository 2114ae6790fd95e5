import {
  INK,
  M,
  MONTH_NAMES,
  MUTED,
  PALETTE,
  W,
  esc,
  fmtPct,
  frame,
  niceDomain,
  niceTicks,
  svgDoc,
} from './svg.js';
import { emptyChart } from './line-chart.js';

/** Red for losses, white at zero, green for gains; saturates at ±`max`. */
export function divergingColor(v: number, max: number): string {
  if (!Number.isFinite(v)) return '#f5f7fa';
  const t = Math.min(1, Math.abs(v) / (max || 1));
  const [r, g, b] = v < 0 ? [220, 38, 38] : [22, 163, 74];
  const mix = (c: number) => Math.round(255 + (c - 255) * (0.12 + 0.88 * t));
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

export interface MonthlyGrid {
  readonly years: readonly number[];
  /** [year][month 0..11]: compounded return of the month, NaN where there is no data. */
  readonly cells: readonly (readonly number[])[];
  /** Compounded return per year. */
  readonly yearTotals: readonly number[];
}

/** Years down, months across, each cell colored by its return and labeled with it; the year's total on the right. */
export function monthlyHeatmap(title: string, g: MonthlyGrid): string {
  if (g.years.length === 0) return emptyChart(title, 'no monthly returns');
  const cellW = 62;
  const cellH = 24;
  const left = 56;
  const top = 22;
  const totalX = left + 12 * cellW + 14;
  const height = top + g.years.length * cellH + 8;
  let max = 0;
  for (const row of g.cells) for (const v of row) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const parts: string[] = [];
  MONTH_NAMES.forEach((m, j) =>
    parts.push(
      `<text x="${left + j * cellW + cellW / 2}" y="${top - 8}" text-anchor="middle" fill="${MUTED}">${m}</text>`,
    ),
  );
  parts.push(
    `<text x="${totalX + cellW / 2 + 6}" y="${top - 8}" text-anchor="middle" fill="${MUTED}">Year</text>`,
  );
  g.years.forEach((y, i) => {
    const yy = top + i * cellH;
    parts.push(`<text x="${left - 8}" y="${yy + cellH / 2 + 4}" text-anchor="end" fill="${INK}">${y}</text>`);
    g.cells[i]!.forEach((v, j) => {
      const x = left + j * cellW;
      const label = Number.isFinite(v) ? fmtPct(v) : '';
      const dark = Number.isFinite(v) && Math.abs(v) / (max || 1) > 0.6;
      parts.push(
        `<g><rect x="${x}" y="${yy}" width="${cellW - 2}" height="${cellH - 2}" rx="2" fill="${divergingColor(v, max)}"/>` +
          `<text x="${x + cellW / 2 - 1}" y="${yy + cellH / 2 + 3}" text-anchor="middle" fill="${dark ? '#fff' : INK}">${label}</text>` +
          `<title>${esc(`${MONTH_NAMES[j]} ${y}: ${Number.isFinite(v) ? fmtPct(v, 2) : 'no data'}`)}</title></g>`,
      );
    });
    const t = g.yearTotals[i]!;
    parts.push(
      `<g><rect x="${totalX}" y="${yy}" width="${cellW + 12}" height="${cellH - 2}" rx="2" fill="${divergingColor(t, Math.max(max, Math.abs(t)))}" stroke="${INK}" stroke-width="0.5"/>` +
        `<text x="${totalX + (cellW + 12) / 2}" y="${yy + cellH / 2 + 3}" text-anchor="middle" font-weight="600" fill="${INK}">${fmtPct(t)}</text>` +
        `<title>${esc(`${y}: ${fmtPct(t, 2)}`)}</title></g>`,
    );
  });
  return svgDoc(parts.join(''), title, height);
}

export interface Histogram {
  /** Bin edges, one more than counts. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Values below the first edge counted in the first bin, above the last in the last bin. */
  readonly clippedLow: number;
  readonly clippedHigh: number;
}

/** The q-quantile of sorted values (linear interpolation). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return sorted[i]! + (h - i) * ((sorted[Math.min(i + 1, sorted.length - 1)] ?? sorted[i]!) - sorted[i]!);
}

/**
 * Equal-width bins (about √n, 10 to 60) over the finite values between the `clip` and 1 − `clip`
 * quantiles; the rarer values beyond them go into the end bins, so one outlier does not squash the rest.
 */
export function histogram(values: readonly number[], o: { bins?: number; clip?: number } = {}): Histogram {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return { edges: [], counts: [], clippedLow: 0, clippedHigh: 0 };
  let lo = quantile(xs, o.clip ?? 0);
  let hi = quantile(xs, 1 - (o.clip ?? 0));
  if (lo === hi) [lo, hi] = [lo - 0.005, hi + 0.005];
  const k = o.bins ?? Math.max(10, Math.min(60, Math.round(Math.sqrt(xs.length))));
  const w = (hi - lo) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => lo + i * w);
  const counts = new Array<number>(k).fill(0);
  let clippedLow = 0;
  let clippedHigh = 0;
  for (const x of xs) {
    if (x < lo) clippedLow++;
    if (x > hi) clippedHigh++;
    counts[Math.max(0, Math.min(k - 1, Math.floor((x - lo) / w)))]!++;
  }
  return { edges, counts, clippedLow, clippedHigh };
}

/** Bars of a histogram of returns: losses red, gains green, a line at the mean; tooltips give the range and count. */
export function histogramChart(
  title: string,
  h: Histogram,
  o: { xTitle: string; mean?: number; format?: (v: number) => string },
): string {
  if (h.counts.length === 0) return emptyChart(title, 'no returns');
  const format = o.format ?? ((v: number) => fmtPct(v));
  const lo = h.edges[0]!;
  const hi = h.edges[h.edges.length - 1]!;
  const maxCount = Math.max(...h.counts);
  const xTicks = niceTicks(lo, hi, 8).filter((v) => v >= lo && v <= hi);
  const f = frame([lo, hi], niceDomain(0, maxCount), {
    xTicks: xTicks.map((v) => ({ value: v, label: format(v) })),
    yFormat: (v) => String(Math.round(v)),
    yTitle: 'count',
    xTitle: o.xTitle,
  });
  const bars = h.counts.map((c, i) => {
    const a = h.edges[i]!;
    const b = h.edges[i + 1]!;
    const x0 = f.x(a) + 0.5;
    const x1 = f.x(b) - 0.5;
    const y = f.y(c);
    const color = b <= 0 ? PALETTE.loss : a >= 0 ? PALETTE.gain : MUTED;
    const range =
      i === 0 && h.clippedLow
        ? `below ${format(b)} (${h.clippedLow} under ${format(a)})`
        : i === h.counts.length - 1 && h.clippedHigh
          ? `above ${format(a)} (${h.clippedHigh} over ${format(b)})`
          : `${format(a)} to ${format(b)}`;
    return (
      `<rect x="${x0.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0.5, x1 - x0).toFixed(1)}" height="${(f.y(0) - y).toFixed(1)}" fill="${color}" fill-opacity="0.8">` +
      `<title>${esc(`${range}: ${c}`)}</title></rect>`
    );
  });
  const parts = [f.svg, ...bars];
  if (o.mean !== undefined && Number.isFinite(o.mean) && o.mean >= lo && o.mean <= hi) {
    const x = f.x(o.mean).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${f.y(0).toFixed(1)}" stroke="${INK}" stroke-dasharray="4 3"><title>mean ${esc(format(o.mean))}</title></line>`,
      `<text x="${Math.min(W - M.right - 4, Number(x) + 4)}" y="${M.top + 12}" fill="${INK}">mean ${esc(format(o.mean))}</text>`,
    );
  }
  return svgDoc(parts.join(''), title);
}
