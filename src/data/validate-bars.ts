import type { MalformedRow, RawBarColumns } from './csv-bars.js';
import { isoMicros } from './timestamps.js';
import { DAY_US, monthIndex, parseTimeframe, timeframeMicros } from './timeframe.js';

/**
 * Validation of bar data for `tickerml data check`: pure (columns in, report out, no I/O). Every issue
 * is counted; the first few of each kind are kept as examples with their time, field and value (and
 * file line when known). Nothing is dropped or repaired here.
 */

export type IssueKind =
  | 'malformed-row'
  | 'duplicate'
  | 'out-of-order'
  | 'gap'
  | 'non-finite'
  | 'non-positive-price'
  | 'negative-volume'
  | 'zero-volume'
  | 'high-below-low'
  | 'open-outside-range'
  | 'close-outside-range'
  | 'outlier';

/** Which bar times are expected: every slot, or only slots on Monday–Friday (UTC). */
export type Calendar = '24x7' | 'weekdays';

export interface IssueExample {
  /** µs since the epoch (NaN for a row whose time could not be read). */
  readonly ts: number;
  /** The same time as ISO-8601 UTC ('' when unknown). */
  readonly time: string;
  readonly field: string;
  readonly value: number | string;
  /** 1-based line in the file, when the data came from a file. */
  readonly line?: number;
  readonly detail?: string;
}

export interface CheckResult {
  readonly kind: IssueKind;
  readonly count: number;
  /** What the check looks for, in words (shown in the report). */
  readonly rule: string;
  readonly examples: readonly IssueExample[];
  /** For gaps: the number of bars missing over all gaps. */
  readonly missingBars?: number;
}

export interface ValidationReport {
  readonly rows: number;
  /** First and last bar time (µs), NaN when there are no rows. */
  readonly from: number;
  readonly to: number;
  readonly timeframe: string | undefined;
  readonly calendar: Calendar;
  /** One entry per kind, in a fixed order, including the kinds with no issue (count 0). */
  readonly checks: readonly CheckResult[];
  /** Total number of issues (sum of the counts). */
  readonly problems: number;
  /** Checks that could not run, and why (e.g. no timeframe → no gap check). */
  readonly notes: readonly string[];
}

export interface ValidateOptions {
  /** Bar length (`1m`, `1d`, …); without it the gap check is skipped (with a note). */
  readonly timeframe?: string;
  /** Default: `weekdays` when no bar falls on a Saturday or Sunday (UTC) and the data spans over a week. */
  readonly calendar?: Calendar;
  /** Gaps of at most this many missing bars are not counted (default 0: every missing bar counts). */
  readonly maxGapBars?: number;
  /** |robust z| above this flags a log return as an outlier (default 10). */
  readonly outlierZ?: number;
  /** Examples kept per kind (default 5). */
  readonly examples?: number;
  /** Rows the reader could not read (lenient CSV reader). */
  readonly malformed?: readonly MalformedRow[];
}

export const DEFAULT_OUTLIER_Z = 10;
/** 0.6745 = Φ⁻¹(0.75): makes the MAD a consistent estimator of σ for normal data (Iglewicz & Hoaglin 1993). */
const MAD_SCALE = 0.6745;
/** √(π/2): the same for the mean absolute deviation, the fallback when the MAD is 0. */
const MEAN_AD_SCALE = 1.253314;

export const RULES: Record<IssueKind, string> = {
  'malformed-row': 'rows that could not be read (bad number or time, too few columns)',
  duplicate: 'a bar time that appears more than once',
  'out-of-order': 'a bar time earlier than the row before it',
  gap: 'missing bars: spacing between consecutive bars longer than the timeframe',
  'non-finite': 'NaN or infinite open, high, low, close or volume',
  'non-positive-price': 'open, high, low or close ≤ 0',
  'negative-volume': 'volume < 0',
  'zero-volume': 'volume = 0',
  'high-below-low': 'high < low',
  'open-outside-range': 'open outside [low, high]',
  'close-outside-range': 'close outside [low, high]',
  outlier: 'log return of the close with a robust z-score above the threshold',
};
const ORDER = Object.keys(RULES) as IssueKind[];

class Tally {
  count = 0;
  missing = 0;
  readonly examples: IssueExample[] = [];
  constructor(private readonly keep: number) {}
  add(ex: () => IssueExample): void {
    if (this.count++ < this.keep) this.examples.push(ex());
  }
}

/** ISO-8601 UTC for a µs time ('' for NaN). */
export function isoTime(us: number): string {
  return Number.isFinite(us) ? isoMicros(us) : '';
}

export function validateBars(bars: RawBarColumns, opts: ValidateOptions = {}): ValidationReport {
  const keep = opts.examples ?? 5;
  const t = new Map<IssueKind, Tally>(ORDER.map((k) => [k, new Tally(keep)]));
  const tally = (k: IssueKind) => t.get(k)!;
  const notes: string[] = [];
  const n = bars.ts.length;
  const { ts, lines } = bars;
  const ex = (i: number, field: string, value: number | string, detail?: string): IssueExample => ({
    ts: ts[i]!,
    time: isoTime(ts[i]!),
    field,
    value,
    ...(lines && lines.length > i ? { line: lines[i]! } : {}),
    ...(detail !== undefined ? { detail } : {}),
  });

  for (const m of opts.malformed ?? [])
    tally('malformed-row').add(() => ({
      ts: Number.NaN,
      time: '',
      field: `column ${m.column}`,
      value: m.value,
      line: m.line,
      detail: m.message,
    }));

  // Row by row, in the order given.
  const prices = ['open', 'high', 'low', 'close'] as const;
  for (let i = 0; i < n; i++) {
    if (i > 0 && ts[i]! < ts[i - 1]!)
      tally('out-of-order').add(() => ex(i, 'timestamp', isoTime(ts[i]!), `after ${isoTime(ts[i - 1]!)}`));
    let finite = true;
    for (const f of [...prices, 'volume'] as const) {
      const x = bars[f][i]!;
      if (!Number.isFinite(x)) {
        finite = false;
        tally('non-finite').add(() => ex(i, f, String(x)));
      }
    }
    for (const f of prices) {
      const x = bars[f][i]!;
      if (x <= 0) tally('non-positive-price').add(() => ex(i, f, x));
    }
    const vol = bars.volume[i]!;
    if (vol < 0) tally('negative-volume').add(() => ex(i, 'volume', vol));
    else if (vol === 0) tally('zero-volume').add(() => ex(i, 'volume', 0));
    if (!finite) continue;
    const hi = bars.high[i]!;
    const lo = bars.low[i]!;
    if (hi < lo) tally('high-below-low').add(() => ex(i, 'high', hi, `low ${lo}`));
    else {
      const o = bars.open[i]!;
      const c = bars.close[i]!;
      if (o < lo || o > hi) tally('open-outside-range').add(() => ex(i, 'open', o, `range [${lo}, ${hi}]`));
      if (c < lo || c > hi) tally('close-outside-range').add(() => ex(i, 'close', c, `range [${lo}, ${hi}]`));
    }
  }

  // Time order: rows sorted by time (stable), duplicates after the first occurrence set aside.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  const uniq: number[] = [];
  for (const i of order) {
    const prev = uniq[uniq.length - 1];
    if (prev !== undefined && ts[i] === ts[prev])
      tally('duplicate').add(() =>
        ex(i, 'timestamp', isoTime(ts[i]!), lines?.length ? `first at line ${lines[prev]}` : undefined),
      );
    else if (Number.isFinite(ts[i]!)) uniq.push(i);
  }

  const calendar = opts.calendar ?? guessCalendar(ts, uniq);
  if (opts.timeframe === undefined)
    notes.push('gap check skipped: no timeframe given and none could be inferred (pass --timeframe)');
  else countGaps(uniq, bars, opts.timeframe, calendar, opts.maxGapBars ?? 0, tally('gap'), ex);

  const z = opts.outlierZ ?? DEFAULT_OUTLIER_Z;
  const skipped = countOutliers(uniq, bars.close, z, tally('outlier'), ex);
  if (skipped) notes.push(`outlier check skipped: ${skipped}`);

  const checks: CheckResult[] = ORDER.map((kind) => {
    const x = tally(kind);
    return {
      kind,
      count: x.count,
      rule: kind === 'outlier' ? `${RULES.outlier} ${z} (see docs/STORAGE.md)` : RULES[kind],
      examples: x.examples,
      ...(kind === 'gap' ? { missingBars: x.missing } : {}),
    };
  });
  return {
    rows: n,
    from: uniq.length ? ts[uniq[0]!]! : Number.NaN,
    to: uniq.length ? ts[uniq[uniq.length - 1]!]! : Number.NaN,
    timeframe: opts.timeframe,
    calendar,
    checks,
    problems: checks.reduce((a, c) => a + c.count, 0),
    notes,
  };
}

function weekday(us: number): number {
  return new Date(Math.floor(us / 1000)).getUTCDay();
}

function guessCalendar(ts: ArrayLike<number>, uniq: readonly number[]): Calendar {
  if (uniq.length < 2) return '24x7';
  if (ts[uniq[uniq.length - 1]!]! - ts[uniq[0]!]! <= 7 * DAY_US) return '24x7';
  for (const i of uniq) {
    const d = weekday(ts[i]!);
    if (d === 0 || d === 6) return '24x7';
  }
  return 'weekdays';
}

/** Slots t0 + k·step strictly between t0 and t1 that fall on a Monday–Friday (UTC). */
function weekdaySlotsBetween(t0: number, t1: number, step: number): number {
  let count = 0;
  let day = Math.floor(t0 / DAY_US) * DAY_US;
  for (; day < t1; day += DAY_US) {
    const wd = weekday(day);
    if (wd === 0 || wd === 6) continue;
    const a = Math.max(day, t0 + step);
    const b = Math.min(day + DAY_US - 1, t1 - 1);
    if (a > b) continue;
    const k0 = Math.ceil((a - t0) / step);
    const k1 = Math.floor((b - t0) / step);
    if (k1 >= k0) count += k1 - k0 + 1;
  }
  return count;
}

function countGaps(
  uniq: readonly number[],
  bars: RawBarColumns,
  timeframe: string,
  calendar: Calendar,
  maxGapBars: number,
  gaps: Tally,
  ex: (i: number, field: string, value: number | string, detail?: string) => IssueExample,
): void {
  const tf = parseTimeframe(timeframe);
  const step = timeframeMicros(tf);
  const ts = bars.ts;
  for (let j = 1; j < uniq.length; j++) {
    const a = ts[uniq[j - 1]!]!;
    const b = ts[uniq[j]!]!;
    let missing: number;
    if (step === undefined) missing = Math.floor((monthIndex(b) - monthIndex(a)) / tf.count) - 1;
    else if (calendar === 'weekdays' && step <= DAY_US) missing = weekdaySlotsBetween(a, b, step);
    else missing = Math.ceil((b - a) / step) - 1;
    if (missing > maxGapBars) {
      gaps.missing += missing;
      const i = uniq[j - 1]!;
      gaps.add(() => ex(i, 'timestamp', isoTime(a), `${missing} bar(s) missing before ${isoTime(b)}`));
    }
  }
}

function median(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Flags log returns r of the close whose robust z-score 0.6745·(r − median)/MAD exceeds `z` in absolute
 * value (Iglewicz & Hoaglin's modified z-score). When more than half the returns are equal the MAD is 0
 * and the mean absolute deviation × √(π/2) stands in. Returns why the check was skipped, or ''.
 */
function countOutliers(
  uniq: readonly number[],
  close: ArrayLike<number>,
  z: number,
  out: Tally,
  ex: (i: number, field: string, value: number | string, detail?: string) => IssueExample,
): string {
  const idx: number[] = [];
  const r: number[] = [];
  for (let j = 1; j < uniq.length; j++) {
    const a = close[uniq[j - 1]!]!;
    const b = close[uniq[j]!]!;
    if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) {
      r.push(Math.log(b / a));
      idx.push(j);
    }
  }
  if (r.length < 3) return 'fewer than 3 returns';
  const rs = Float64Array.from(r);
  const med = median(rs);
  const dev = rs.map((x) => Math.abs(x - med));
  let scale = median(dev) / MAD_SCALE;
  if (scale === 0) scale = (dev.reduce((a, x) => a + x, 0) / dev.length) * MEAN_AD_SCALE;
  if (scale === 0) return 'every return is the same';
  for (let k = 0; k < rs.length; k++) {
    const score = (rs[k]! - med) / scale;
    if (Math.abs(score) > z) {
      const j = idx[k]!;
      const i = uniq[j]!;
      const prev = close[uniq[j - 1]!]!;
      out.add(() =>
        ex(
          i,
          'close',
          close[i]!,
          `previous close ${prev}, log return ${rs[k]!.toFixed(4)}, z ${score.toFixed(1)}`,
        ),
      );
    }
  }
  return '';
}
