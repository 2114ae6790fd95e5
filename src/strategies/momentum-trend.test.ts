import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../engine/backtest.js';
import { BarSeries, Instrument, instrumentId } from '../model/index.js';
import { createStrategy } from './index.js';
import { MomentumTrend } from './momentum-trend.js';

const DAY = 86_400_000_000;
const inst = new Instrument({
  id: 'TST',
  kind: 'equity',
  base: 'TST',
  quote: 'USD',
  tickSize: 0.01,
  lotSize: 1,
});

function bars(closes: number[]): BarSeries {
  return BarSeries.fromRows(
    instrumentId('TST'),
    closes.map((c, i) => {
      const o = i === 0 ? c : closes[i - 1]!;
      return {
        ts: DAY * (100 + i),
        open: o,
        high: Math.max(o, c) + 0.25,
        low: Math.min(o, c) - 0.25,
        close: c,
        volume: 1000,
      };
    }),
  );
}

/** 40 bars going sideways around 100, so the channel and ATR are ready and the breakout is clear. */
const base = Array.from({ length: 40 }, (_, i) => 100 + (i % 2 === 0 ? 0.5 : -0.5));

function run(closes: number[], params: Record<string, unknown> = {}) {
  const e = new BacktestEngine({ cash: 1_000_000, commission: 0 });
  const s = new MomentumTrend({ breakoutPeriod: 20, atrPeriod: 10, unitRiskPercent: 0.2, ...params });
  e.addInstrument(inst, bars(closes)).addStrategy(s);
  return { r: e.run(), s };
}

const staircase = (from: number, step: number, n: number) =>
  Array.from({ length: n }, (_, i) => from + step * (i + 1));

describe('MomentumTrend', () => {
  it('enters on the breakout, pyramids up to maxUnits, and exits on the trailing stop', () => {
    const up = staircase(100.5, 2, 15); // 102.5 … 130.5: +2 a bar, RSI climbs, no divergence
    const down = staircase(130.5, -3, 6);
    const { r, s } = run([...base, ...up, ...down], { maxUnits: 4 });
    const buys = r.orders.filter((o) => o.side === 'buy' && o.status === 'filled');
    expect(buys.map((o) => o.tag)).toEqual(['breakout', 'pyramid', 'pyramid', 'pyramid']);
    expect(s.maxUnitsHeld).toBe(4);
    const exit = r.orders.find((o) => o.tag === 'trail-stop')!;
    expect(exit.status).toBe('filled');
    expect(r.trades.every((t) => t.exitBar > 40 + 15)).toBe(true); // held through the whole rally
    const filled = (side: string) =>
      r.orders
        .filter((o) => o.side === side && o.status === 'filled')
        .reduce((a, o) => a + o.filledQuantity, 0);
    expect(filled('sell')).toBe(filled('buy')); // flat again
  });

  it('never holds more than maxUnits, however long the trend', () => {
    const up = staircase(100.5, 2, 40);
    const { r, s } = run([...base, ...up], { maxUnits: 2 });
    expect(r.orders.filter((o) => o.side === 'buy').length).toBe(2);
    expect(s.maxUnitsHeld).toBe(2);
  });

  it('adds a unit only after the close gains pyramidAtr ATRs on the last add', () => {
    const up = staircase(100.5, 2, 15);
    const { r } = run([...base, ...up], { maxUnits: 10, pyramidAtr: 100 });
    expect(r.orders.filter((o) => o.side === 'buy').map((o) => o.tag)).toEqual(['breakout']);
  });

  it('exits on bearish divergence: a new closing high while RSI is far below its peak', () => {
    const rally = staircase(100.5, 2.5, 8); // RSI near 100
    const top = rally[rally.length - 1]!;
    const pullback = staircase(top, -1, 3);
    // Grinds back to a new high in a choppy +1.2 / −0.8 pattern: a higher close with a much lower RSI.
    const creep: number[] = [];
    for (let x = top - 3, k = 0; creep.length < 16; k++) creep.push((x += k % 2 === 0 ? 1.2 : -0.8));
    const { r } = run([...base, ...rally, ...pullback, ...creep], { maxUnits: 1 });
    const div = r.orders.find((o) => o.tag === 'divergence');
    expect(div?.status).toBe('filled');
    expect(r.orders.some((o) => o.tag === 'trail-stop')).toBe(false);
    // The same path without divergence detection stays in.
    const { r: r2 } = run([...base, ...rally, ...pullback, ...creep], { maxUnits: 1, divergence: false });
    expect(r2.orders.some((o) => o.tag === 'divergence')).toBe(false);
  });

  it('validates its parameters', () => {
    expect(() => createStrategy('momentum-trend', { maxUnits: 0 })).toThrow(/maxUnits/);
    expect(() => createStrategy('momentum-trend', { trailAtr: -1 })).toThrow(/trailAtr/);
    expect(createStrategy('momentum-trend', { divergence: 'no' })).toBeInstanceOf(MomentumTrend);
  });
});
