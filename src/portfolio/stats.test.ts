import { describe, expect, it } from 'vitest';
import { instrumentId } from '../model/index.js';
import { annualization, computeStats, geometricMean, sampleVariance } from './stats.js';
import type { ClosedTrade } from './trades.js';

const DAY = 86_400_000_000;
const t0 = Date.UTC(2024, 0, 1) * 1000; // a Monday

function trade(pnl: number, ret: number, entryBar: number, exitBar: number): ClosedTrade {
  return {
    instrumentId: instrumentId('X'),
    size: 1,
    entryPrice: 100,
    exitPrice: 100 * (1 + ret),
    entryTs: t0 + entryBar * DAY,
    exitTs: t0 + exitBar * DAY,
    entryBar,
    exitBar,
    fees: 0,
    pnl,
    returnPct: ret,
    tag: undefined,
  };
}

describe('statistics', () => {
  it('computes the geometric mean with a NaN counted as zero, and 0 after a total loss', () => {
    expect(geometricMean([Number.NaN, 0.1, 0.1])).toBeCloseTo(Math.cbrt(1.21) - 1, 12);
    expect(geometricMean([0.5, -1])).toBe(0);
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12);
  });

  it('annualizes with 365 days for data with weekends and 252 without', () => {
    const all = Float64Array.from({ length: 30 }, (_, i) => t0 + i * DAY);
    expect(annualization(all).periodsPerYear).toBe(365);
    const weekdays = Float64Array.from(
      Array.from({ length: 42 }, (_, i) => t0 + i * DAY).filter((t) => {
        const dow = (Math.floor(t / DAY) + 4) % 7;
        return dow !== 0 && dow !== 6;
      }),
    );
    expect(annualization(weekdays).periodsPerYear).toBe(252);
    const weekly = Float64Array.from({ length: 20 }, (_, i) => t0 + i * 7 * DAY);
    expect(annualization(weekly)).toMatchObject({ periodsPerYear: 52, rule: 'W' });
  });

  it('derives returns, drawdowns and trade figures from a hand-built curve', () => {
    // 5 daily bars, Monday to Friday (so 252 periods a year): equity 100 → 110 → 99 → 121 → 121.
    const ts = Float64Array.from({ length: 5 }, (_, i) => t0 + i * DAY);
    const equity = Float64Array.from([100, 110, 99, 121, 121]);
    const bench = Float64Array.from([10, 11, 12, 13, 14]);
    const trades = [trade(10, 0.1, 0, 1), trade(-11, -0.1, 1, 2), trade(22, 0.2, 2, 3)];
    const s = computeStats({ ts, equity, trades, benchmark: bench });
    expect(s['Return [%]']).toBeCloseTo(21, 10);
    expect(s['Buy & Hold Return [%]']).toBeCloseTo(40, 10);
    expect(s['Equity Peak [$]']).toBe(121);
    expect(s['Max. Drawdown [%]']).toBeCloseTo(-10, 10); // 110 → 99
    expect(s['Max. Drawdown Duration']).toBe('2 days 00:00:00'); // peak at bar 1, recovered at bar 3
    expect(s['Exposure Time [%]']).toBeCloseTo(80, 10); // bars 0..3 of 5
    expect(s['# Trades']).toBe(3);
    expect(s['Win Rate [%]']).toBeCloseTo(200 / 3, 10);
    expect(s['Best Trade [%]']).toBeCloseTo(20, 10);
    expect(s['Worst Trade [%]']).toBeCloseTo(-10, 10);
    expect(s['Expectancy [%]']).toBeCloseTo(((0.1 - 0.1 + 0.2) / 3) * 100, 10);
    expect(s['Profit Factor']).toBeCloseTo(0.3 / 0.1, 10);
    const pl = [10, -11, 22];
    const m = (10 - 11 + 22) / 3;
    const sd = Math.sqrt(pl.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    expect(s['SQN']).toBeCloseTo((Math.sqrt(3) * m) / sd, 10);
    expect(s['Kelly Criterion']).toBeCloseTo(2 / 3 - 1 / 3 / (16 / 11), 10);
    // Daily returns: NaN, .1, -.1, 2/9, 0; g = geometric mean over 5 with the NaN as 0.
    const g = Math.pow(1.1 * 0.9 * (121 / 99), 1 / 5) - 1;
    expect(s['Return (Ann.) [%]']).toBeCloseTo(((1 + g) ** 252 - 1) * 100, 6);
    expect(s['Start']).toBe('2024-01-01 00:00:00');
    expect(s['Duration']).toBe('4 days 00:00:00');
  });
});
