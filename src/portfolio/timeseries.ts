import { MICROS_PER_DAY } from '../model/index.js';

/** Calendar helpers over µs timestamps (UTC), shared by the statistics and the reports. */
const MICROS_PER_HOUR = 3_600_000_000;
const MICROS_PER_MINUTE = 60_000_000;
const MICROS_PER_SECOND = 1_000_000;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The bar spacing: median difference of the last 100 timestamps (backtesting.py's `_data_period`). */
export function dataPeriod(ts: ArrayLike<number>): number {
  const n = ts.length;
  const from = Math.max(0, n - 100);
  const d: number[] = [];
  for (let i = from + 1; i < n; i++) d.push(ts[i]! - ts[i - 1]!);
  return median(d);
}

/** pandas' Timedelta.resolution_string: the smallest non-zero unit of a duration. */
export function resolutionOf(periodUs: number): number {
  if (!(periodUs > 0)) return MICROS_PER_DAY;
  for (const unit of [MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, 1000, 1])
    if (periodUs % unit === 0) return unit;
  return 1;
}

export function ceilTo(us: number, unit: number): number {
  return Math.ceil(us / unit) * unit;
}

/** Formats a duration as pandas prints a Timedelta: `3116 days 00:00:00`. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return 'NaN';
  const neg = us < 0;
  let rest = Math.abs(us);
  const days = Math.floor(rest / MICROS_PER_DAY);
  rest -= days * MICROS_PER_DAY;
  const h = Math.floor(rest / MICROS_PER_HOUR);
  rest -= h * MICROS_PER_HOUR;
  const m = Math.floor(rest / MICROS_PER_MINUTE);
  rest -= m * MICROS_PER_MINUTE;
  const s = Math.floor(rest / MICROS_PER_SECOND);
  const frac = rest - s * MICROS_PER_SECOND;
  const p2 = (x: number) => String(x).padStart(2, '0');
  const body = `${days} days ${p2(h)}:${p2(m)}:${p2(s)}${frac ? '.' + String(frac).padStart(6, '0') : ''}`;
  return neg ? `-${body}` : body;
}

export function isoDate(us: number): string {
  return new Date(Math.floor(us / 1000))
    .toISOString()
    .replace('T', ' ')
    .replace('.000Z', '')
    .replace('Z', '');
}

export type ResampleRule = 'D' | 'W' | 'ME' | 'YE';

/** A bucket key per rule: UTC day, week ending Sunday, calendar month, calendar year. */
export function bucketOf(us: number, rule: ResampleRule): number {
  const day = Math.floor(us / MICROS_PER_DAY);
  switch (rule) {
    case 'D':
      return day;
    case 'W':
      // 1970-01-01 was a Thursday; weeks end on Sunday (pandas 'W' = 'W-SUN').
      return Math.floor((day + 3) / 7);
    case 'ME': {
      const d = new Date(day * 86_400_000);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    }
    case 'YE':
      return new Date(day * 86_400_000).getUTCFullYear();
  }
}

/** Last value per bucket, empty buckets dropped (pandas `resample(rule).last().dropna()`). */
export function resampleLast(ts: ArrayLike<number>, values: ArrayLike<number>, rule: ResampleRule): number[] {
  const out: number[] = [];
  let key = Number.NaN;
  for (let i = 0; i < ts.length; i++) {
    const k = bucketOf(ts[i]!, rule);
    if (k === key) out[out.length - 1] = values[i]!;
    else {
      out.push(values[i]!);
      key = k;
    }
  }
  return out;
}

/** Share of timestamps on Saturday or Sunday (UTC). */
export function weekendShare(ts: ArrayLike<number>): number {
  if (ts.length === 0) return 0;
  let w = 0;
  for (let i = 0; i < ts.length; i++) {
    const dow = (((Math.floor(ts[i]! / MICROS_PER_DAY) + 4) % 7) + 7) % 7; // 0 = Sunday
    if (dow === 0 || dow === 6) w++;
  }
  return w / ts.length;
}
