import { describe, expect, it } from 'vitest';
import { ATR, RSI, SMA } from '../indicators/index.js';
import { BarSeries, Instrument, instrumentId } from '../model/index.js';
import { BacktestEngine } from '../engine/backtest.js';
import { createStrategy } from './index.js';
import { RsiReversion } from './rsi-reversion.js';

const DAY = 86_400_000_000;
const inst = new Instrument({
  id: 'TST',
  kind: 'equity',
  base: 'TST',
  quote: 'USD',
  tickSize: 0.01,
  lotSize: 1,
});

/** Bars from a close path: open = previous close, high/low = max/min(open, close) ± 0.5. */
function bars(closes: number[]): BarSeries {
  return BarSeries.fromRows(
    instrumentId('TST'),
    closes.map((c, i) => {
      const o = i === 0 ? c : closes[i - 1]!;
      return {
        ts: DAY * (100 + i),
        open: o,
        high: Math.max(o, c) + 0.5,
        low: Math.min(o, c) - 0.5,
        close: c,
        volume: 1000,
      };
    }),
  );
}

/** 220 rising bars (100 → 144), then `tail`. */
function path(tail: number[]): number[] {
  const up = Array.from({ length: 220 }, (_, i) => 100 + i * 0.2);
  return [...up, ...tail];
}

function run(closes: number[], params: Record<string, unknown> = {}) {
  const e = new BacktestEngine({ cash: 100_000, commission: 0 });
  const s = new RsiReversion(params);
  e.addInstrument(inst, bars(closes)).addStrategy(s);
  return e.run();
}

/** The first bar where our own indicators say the strategy should buy, and the size it should use. */
function expectedEntry(closes: number[], equity = 100_000) {
  const b = bars(closes);
  const rsi = new RSI(14);
  const atr = new ATR(14);
  const sma = new SMA(200);
  for (let i = 0; i < b.length; i++) {
    const r = rsi.update(b.close[i]!);
    const a = atr.update(b.high[i]!, b.low[i]!, b.close[i]!);
    const t = sma.update(b.close[i]!);
    if (sma.ready && r < 30 && b.close[i]! > t)
      return { bar: i, qty: Math.floor((equity * 0.01) / (2 * a)), stop: 2 * a };
  }
  throw new Error('path has no entry signal');
}

describe('RsiReversion', () => {
  const dip = [142.5, 141, 139.5, 138, 136.5];

  it('buys the oversold dip in an uptrend, sized to risk 1% on a 2·ATR stop, and exits at RSI 50', () => {
    const closes = path([...dip, 136.5, 137.5, 139, 141, 143, 145]);
    const exp = expectedEntry(closes);
    const r = run(closes);
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.entryBar).toBe(exp.bar + 1); // market order fills at the next open
    expect(t.size).toBe(exp.qty);
    const exit = r.orders.find((o) => o.tag === 'rsi-exit')!;
    expect(exit.status).toBe('filled');
    expect(r.orders.find((o) => o.tag === 'stop')!.status).toBe('canceled');
    expect(t.pnl).toBeGreaterThan(0);
  });

  it('stops out at entry − 2·ATR when the dip keeps falling, losing about 1% of equity', () => {
    const closes = path([...dip, 135, 132, 129, 126, 123, 120, 117]);
    const exp = expectedEntry(closes);
    const r = run(closes);
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    const stop = r.orders.find((o) => o.tag === 'stop')!;
    expect(stop.status).toBe('filled');
    expect(stop.triggerPrice).toBeCloseTo(t.entryPrice - exp.stop, 1);
    expect(t.exitPrice).toBeLessThanOrEqual(stop.triggerPrice! + 1e-9);
    // Risk 1% of 100,000 on the stop distance; a gap through the stop may cost a little more.
    expect(-t.pnl).toBeGreaterThan(900);
    expect(-t.pnl).toBeLessThan(1500);
    expect(r.orders.some((o) => o.tag === 'rsi-exit')).toBe(false);
    // Still oversold after the stop, but not re-armed until RSI recovers: no second entry.
    expect(r.orders.filter((o) => o.tag === 'rsi-entry')).toHaveLength(1);
  });

  it('does not buy dips below the trend SMA, unless the trend filter is off', () => {
    const down = Array.from({ length: 220 }, (_, i) => 150 - i * 0.2);
    const closes = [...down, 103, 100, 97, 94, 91, 95, 99, 103, 107];
    expect(run(closes).trades).toHaveLength(0);
    expect(run(closes, { trendFilter: false }).trades.length).toBeGreaterThan(0);
  });

  it('validates its parameters', () => {
    expect(() => createStrategy('rsi-reversion', { oversold: 60, exitLevel: 50 })).toThrow(/oversold/);
    expect(() => createStrategy('rsi-reversion', { riskPercent: 0 })).toThrow(/riskPercent/);
    expect(createStrategy('rsi-reversion', { rsiPeriod: '10' })).toBeInstanceOf(RsiReversion);
  });
});
