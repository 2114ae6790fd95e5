import {
  COLORS,
  HEIGHT,
  MARGIN,
  WIDTH,
  dateLabel,
  esc,
  extent,
  fmt,
  frame,
  polyline,
  scale,
  svgDoc,
} from './svg.js';

export interface Series {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** Lines over time (x in µs), with optional shaded spans (e.g. out-of-sample windows). */
export function lineChart(
  title: string,
  series: readonly Series[],
  o: { yTitle?: string; spans?: readonly { from: number; to: number; label: string; color: string }[] } = {},
): string {
  const xd = extent(series.flatMap((s) => Array.from(s.x)));
  const yd = extent(series.flatMap((s) => Array.from(s.y)));
  const f = frame(xd, yd, { xLabel: dateLabel, ...(o.yTitle ? { yTitle: o.yTitle } : {}) });
  const spans = (o.spans ?? []).map(
    (s) =>
      `<rect x="${f.x(s.from)}" y="${MARGIN.top}" width="${Math.max(1, f.x(s.to) - f.x(s.from))}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="${s.color}" opacity="0.18"><title>${esc(s.label)}</title></rect>`,
  );
  const lines = series.map(
    (s, i) =>
      `<path d="${polyline(s.x, s.y, f.x, f.y)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"><title>${esc(s.name)}</title></path>`,
  );
  return svgDoc(spans.join('') + f.svg + lines.join('') + legend(series.map((s) => s.name)), title);
}

/** Bars per label; several series are drawn side by side. */
export function barChart(
  title: string,
  labels: readonly string[],
  series: readonly { name: string; values: readonly number[] }[],
  yTitle?: string,
): string {
  const all = series.flatMap((s) => s.values);
  const [lo, hi] = extent([...all, 0]);
  const f = frame([0, labels.length], [lo, hi], {
    xTicks: labels.map((_, i) => i + 0.5),
    xLabel: (v) => labels[Math.floor(v)] ?? '',
    ...(yTitle ? { yTitle } : {}),
  });
  const slot = (f.x(1) - f.x(0)) * 0.8;
  const w = slot / series.length;
  const rects = series.flatMap((s, k) =>
    s.values.map((v, i) => {
      if (!Number.isFinite(v)) return '';
      const x0 = f.x(i) + (f.x(1) - f.x(0)) * 0.1 + k * w;
      const y0 = Math.min(f.y(v), f.y(0));
      return `<rect x="${x0}" y="${y0}" width="${w}" height="${Math.abs(f.y(v) - f.y(0))}" fill="${COLORS[k % COLORS.length]}"><title>${esc(`${labels[i]} ${s.name}: ${fmt(v)}`)}</title></rect>`;
    }),
  );
  const zero = `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f.y(0)}" y2="${f.y(0)}" stroke="#333"/>`;
  return svgDoc(f.svg + rects.join('') + zero + legend(series.map((s) => s.name)), title);
}

/** Points; `highlight` ones (e.g. the Pareto front) are drawn in the second colour and larger. */
export function scatter(
  title: string,
  points: readonly { x: number; y: number; label: string; highlight?: boolean }[],
  o: { xTitle: string; yTitle: string },
): string {
  const f = frame(extent(points.map((p) => p.x)), extent(points.map((p) => p.y)), o);
  const dots = points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => Number(a.highlight ?? false) - Number(b.highlight ?? false))
    .map(
      (p) =>
        `<circle cx="${f.x(p.x)}" cy="${f.y(p.y)}" r="${p.highlight ? 5 : 3}" fill="${p.highlight ? COLORS[1] : COLORS[0]}" opacity="${p.highlight ? 1 : 0.5}"><title>${esc(p.label)}</title></circle>`,
    );
  return svgDoc(f.svg + dots.join('') + legend(['all trials', 'Pareto front']), title);
}

/** A grid of cells coloured by value (red low, green high); NaN cells are grey. */
export function heatmap(
  title: string,
  xs: readonly (string | number)[],
  ys: readonly (string | number)[],
  value: (xi: number, yi: number) => number,
  o: { xTitle: string; yTitle: string; metric: string },
): string {
  const vals: number[] = [];
  xs.forEach((_, i) => ys.forEach((_, j) => vals.push(value(i, j))));
  const [lo, hi] = extent(vals);
  const c = scale(lo, hi, 0, 1);
  const x0 = MARGIN.left;
  const y0 = MARGIN.top;
  const cw = (WIDTH - MARGIN.left - MARGIN.right) / xs.length;
  const ch = (HEIGHT - MARGIN.top - MARGIN.bottom) / ys.length;
  const cells: string[] = [];
  xs.forEach((xv, i) =>
    ys.forEach((yv, j) => {
      const v = value(i, j);
      const fill = Number.isFinite(v) ? ramp(c(v)) : '#ddd';
      const y = y0 + (ys.length - 1 - j) * ch;
      cells.push(
        `<rect x="${x0 + i * cw}" y="${y}" width="${cw}" height="${ch}" fill="${fill}" stroke="#fff"><title>${esc(`${o.xTitle}=${xv} ${o.yTitle}=${yv}: ${o.metric} ${fmt(v)}`)}</title></rect>`,
      );
      if (cw > 28 && ch > 14 && Number.isFinite(v))
        cells.push(
          `<text x="${x0 + (i + 0.5) * cw}" y="${y + ch / 2 + 4}" text-anchor="middle" font-size="9">${esc(fmt(v))}</text>`,
        );
    }),
  );
  const labels = [
    ...xs.map(
      (v, i) =>
        `<text x="${x0 + (i + 0.5) * cw}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="middle">${esc(String(v))}</text>`,
    ),
    ...ys.map(
      (v, j) =>
        `<text x="${x0 - 6}" y="${y0 + (ys.length - 1 - j + 0.5) * ch + 4}" text-anchor="end">${esc(String(v))}</text>`,
    ),
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${esc(o.xTitle)} (colour: ${esc(o.metric)}, ${esc(fmt(lo))} … ${esc(fmt(hi))})</text>`,
    `<text transform="translate(14 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yTitle)}</text>`,
  ];
  return svgDoc(cells.join('') + labels.join(''), title);
}

/** A histogram of the values with optional vertical markers (e.g. a percentile interval). */
export function histogram(
  title: string,
  values: ArrayLike<number>,
  o: { xTitle: string; bins?: number; markers?: readonly { at: number; label: string }[] },
): string {
  const v = Array.from(values).filter(Number.isFinite);
  const [lo, hi] = extent(v);
  const bins = o.bins ?? Math.max(5, Math.min(40, Math.ceil(Math.sqrt(v.length))));
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))]!++;
  const f = frame([lo, hi], [0, Math.max(1, ...counts)], { xTitle: o.xTitle, yTitle: 'count' });
  const w = (hi - lo) / bins;
  const rects = counts.map(
    (n, i) =>
      `<rect x="${f.x(lo + i * w)}" y="${f.y(n)}" width="${Math.max(0.5, f.x(lo + (i + 1) * w) - f.x(lo + i * w) - 1)}" height="${f.y(0) - f.y(n)}" fill="${COLORS[0]}"><title>${esc(`${fmt(lo + i * w)} … ${fmt(lo + (i + 1) * w)}: ${n}`)}</title></rect>`,
  );
  const marks = (o.markers ?? []).map(
    (m) =>
      `<line x1="${f.x(m.at)}" x2="${f.x(m.at)}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="${COLORS[1]}" stroke-dasharray="4 3"/><text x="${f.x(m.at) + 3}" y="${MARGIN.top + 12}" fill="${COLORS[1]}">${esc(m.label)}</text>`,
  );
  return svgDoc(f.svg + rects.join('') + marks.join(''), title);
}

/** Percentile bands over steps (outer band lighter), with the median line: a fan chart. */
export function fanChart(
  title: string,
  x: ArrayLike<number>,
  bands: readonly { low: ArrayLike<number>; high: ArrayLike<number>; label: string }[],
  median: ArrayLike<number>,
  o: { xTitle: string; yTitle: string; xLabel?: (v: number) => string },
): string {
  const xd = extent(Array.from(x));
  const yd = extent(bands.flatMap((b) => [...Array.from(b.low), ...Array.from(b.high)]));
  const f = frame(xd, yd, o);
  const areas = bands.map((b, k) => {
    let d = '';
    for (let i = 0; i < x.length; i++)
      d += `${i ? 'L' : 'M'}${f.x(x[i]!).toFixed(1)},${f.y(b.high[i]!).toFixed(1)}`;
    for (let i = x.length - 1; i >= 0; i--) d += `L${f.x(x[i]!).toFixed(1)},${f.y(b.low[i]!).toFixed(1)}`;
    return `<path d="${d}Z" fill="${COLORS[0]}" opacity="${0.15 + 0.15 * k}"><title>${esc(b.label)}</title></path>`;
  });
  const mid = `<path d="${polyline(x, median, f.x, f.y)}" fill="none" stroke="${COLORS[1]}" stroke-width="1.5"><title>median</title></path>`;
  return svgDoc(f.svg + areas.join('') + mid + legend([...bands.map((b) => b.label), 'median']), title);
}

function legend(names: readonly string[]): string {
  if (names.length < 2) return '';
  return names
    .map(
      (n, i) =>
        `<rect x="${MARGIN.left + 8}" y="${MARGIN.top + 6 + i * 14}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${MARGIN.left + 22}" y="${MARGIN.top + 15 + i * 14}">${esc(n)}</text>`,
    )
    .join('');
}

/** Red (0) through yellow to green (1). */
function ramp(t: number): string {
  const u = Math.max(0, Math.min(1, t));
  const r = u < 0.5 ? 215 : Math.round(215 - (u - 0.5) * 2 * 189);
  const g = u < 0.5 ? Math.round(48 + u * 2 * 170) : 218;
  return `rgb(${r},${g},${Math.round(39 + u * 30)})`;
}
