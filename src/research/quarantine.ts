import { type BarSeries, MICROS_PER_DAY, TickerError, invalid } from '../model/index.js';
import { isoDate } from '../portfolio/timeseries.js';
import { indexAtOrAfter } from './bar-window.js';

export const DEFAULT_QUARANTINE_DAYS = 30;

/**
 * The most recent days of the data are quarantined: nothing in src/research trains, tunes or selects on
 * them, so they stay an honest hold-out for the decision to trade. Turning the quarantine off takes two
 * explicit settings; a zero on its own is refused, never taken silently.
 */
export interface QuarantineOptions {
  /** Days at the end of the data that are held out (default 30). */
  readonly quarantineDays?: number;
  /** Must be set, together with quarantineDays: 0, to research on the most recent data. */
  readonly unsafeNoQuarantine?: boolean;
}

export interface Quarantine {
  readonly days: number;
  /** Bars `[0, usableEnd)` may be used; bars from `usableEnd` on are held out. */
  readonly usableEnd: number;
  /** Time of the last usable bar (µs). */
  readonly cutoffTs: number;
  readonly heldOutBars: number;
  /** Human-readable, for reports: "2013-02-01 … 2013-03-01 (20 bars) held out". */
  readonly describe: string;
}

export function quarantineOf(series: BarSeries, o: QuarantineOptions = {}): Quarantine {
  const days = o.quarantineDays ?? DEFAULT_QUARANTINE_DAYS;
  if (!Number.isFinite(days) || days < 0)
    throw invalid('quarantineDays', days, 'must be a number of days >= 0');
  if (days === 0 && o.unsafeNoQuarantine !== true)
    throw new TickerError(
      'QUARANTINE_DISABLED',
      `quarantineDays: 0 would tune on the most recent data; the quarantine keeps the last ${DEFAULT_QUARANTINE_DAYS} days as a hold-out. To really do this, also pass unsafeNoQuarantine: true (got quarantineDays ${days})`,
      { field: 'quarantineDays', value: days },
    );
  if (days > 0 && o.unsafeNoQuarantine === true)
    throw invalid('unsafeNoQuarantine', true, `contradicts quarantineDays ${days}; use one or the other`);
  const n = series.length;
  if (n === 0) throw invalid('bars.length', 0, 'needs bars');
  const last = series.ts[n - 1]!;
  const usableEnd = days === 0 ? n : indexAtOrAfter(series, last - days * MICROS_PER_DAY + 1);
  if (usableEnd === 0)
    throw new TickerError(
      'QUARANTINE_VIOLATION',
      `the data (${isoDate(series.ts[0]!)} … ${isoDate(last)}) lies entirely inside the ${days}-day quarantine: nothing is left to research on`,
      { field: 'quarantineDays', value: days },
    );
  const cutoffTs = series.ts[usableEnd - 1]!;
  const heldOut = n - usableEnd;
  return {
    days,
    usableEnd,
    cutoffTs,
    heldOutBars: heldOut,
    describe:
      heldOut > 0
        ? `${isoDate(series.ts[usableEnd]!)} … ${isoDate(last)} (${heldOut} bars, last ${days} days) held out`
        : 'no quarantine (unsafeNoQuarantine)',
  };
}

/** Refuses a step that would train, tune or select on bars at or after the quarantine. */
export function assertBeforeQuarantine(series: BarSeries, q: Quarantine, to: number, what: string): void {
  if (to <= q.usableEnd) return;
  const lastUsed = series.ts[Math.min(to, series.length) - 1]!;
  throw new TickerError(
    'QUARANTINE_VIOLATION',
    `${what} uses bars up to ${isoDate(lastUsed)} (index ${to - 1}), but the last ${q.days} days are quarantined: ` +
      `nothing may train, tune or select on data after ${isoDate(q.cutoffTs)} (index ${q.usableEnd - 1}). ` +
      `End it earlier, or shorten the quarantine with quarantineDays`,
    { field: what, value: to },
  );
}
