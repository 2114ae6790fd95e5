import { invalid } from '../model/index.js';

/** A bar length: `count` × `unit` (`1m`, `4h`, `1d`, `1w`, `1M` = one calendar month). */
export interface Timeframe {
  readonly count: number;
  readonly unit: 's' | 'm' | 'h' | 'd' | 'w' | 'M';
}

const UNIT_US = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6, w: 7 * 86_400e6 } as const;
const TIMEFRAME = /^([1-9][0-9]*)(s|m|h|d|w|M)$/;
export const DAY_US = 86_400e6;

export function parseTimeframe(tf: string): Timeframe {
  const m = TIMEFRAME.exec(tf);
  if (!m)
    throw invalid('timeframe', tf, "must be a count and a unit s, m, h, d, w or M, e.g. '1m', '4h', '1d'");
  return { count: Number(m[1]), unit: m[2] as Timeframe['unit'] };
}

/** The bar length in µs, or undefined for calendar months (their length varies). */
export function timeframeMicros(tf: Timeframe): number | undefined {
  return tf.unit === 'M' ? undefined : tf.count * UNIT_US[tf.unit];
}

/** Months since 1970-01 of a µs timestamp (UTC), for month-long bars. */
export function monthIndex(us: number): number {
  const d = new Date(Math.floor(us / 1000));
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/**
 * Guesses the timeframe of sorted bar times from the median spacing between neighbours: a file does
 * not say its bar length, but the most common spacing does (weekends and holidays only lengthen a
 * minority of spacings). 28–31 days is a calendar month. Undefined when fewer than two bars or the
 * median is not a whole number of seconds.
 */
export function inferTimeframe(ts: ArrayLike<number>): string | undefined {
  if (ts.length < 2) return undefined;
  const d = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) d[i - 1] = ts[i]! - ts[i - 1]!;
  d.sort();
  const med = d[(d.length - 1) >> 1]!;
  if (!(med > 0)) return undefined;
  if (med >= 28 * DAY_US && med <= 31 * DAY_US) return '1M';
  for (const u of ['w', 'd', 'h', 'm', 's'] as const)
    if (med % UNIT_US[u] === 0) return `${med / UNIT_US[u]}${u}`;
  return undefined;
}
