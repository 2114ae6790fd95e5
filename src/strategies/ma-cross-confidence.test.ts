import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../engine/backtest.js';
import { ATR, EMA } from '../indicators/index.js';
import { BarSeries, Instrument, instrumentId } from '../model/index.js';
import { createStrategy } from './index.js';
import { MaCrossConfidence } from './ma-cross-confidence.js';

const DAY = 86_400_000_000;
const inst = new Instrument({
  id: 'TST',
  kind: 'equity',
  base: 'TST',
  quote: 'USD',
  tickSize: 0.01,
  lotSize: 1,
});

function bars(closes: number[], volumes: number[]): BarSeries {
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
        volume: volumes[i]!,
      };
    }),
  );
}

/** 40 bars down 0.5 a bar, 20 up 1.5 a bar, 20 down 1.5 a bar: one cross up, one cross down. */
const closes = [
  ...Array.from({ length: 40 }, (_, i) => 120 - 0.5 * i),
  ...Array.from({ length: 20 }, (_, i) => 100.5 + 1.5 * (i + 1)),
  ...Array.from({ length: 20 }, (_, i) => 130.5 - 1.5 * (i + 1)),
];
const quiet = closes.map(() => 1000);
/** Volume doubles from bar 40 on: the rally is confirmed. */
const loud = closes.map((_, i) => (i >= 40 ? 2000 : 1000));
const PARAMS = { fast: 5, slow: 15, atrPeriod: 10, volumePeriod: 10 };

function run(vol: number[], params: Record<string, unknown> = {}) {
  const e = new BacktestEngine({ cash: 100_000, commission: 0 });
  const s = new MaCrossConfidence({ ...PARAMS, ...params });
  e.addInstrument(inst, bars(closes, vol)).addStrategy(s);
  return { r: e.run(), s };
}

describe('MaCrossConfidence', () => {
  it('enters after the cross up once the averages separate and volume confirms; exits on the cross down', () => {
    const { r } = run(loud);
    const entry = r.orders.find((o) => o.tag === 'ma-cross-up')!;
    expect(entry.status).toBe('filled');
    const exit = r.orders.find((o) => o.tag === 'cross-down-exit')!;
    expect(exit.status).toBe('filled');
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.pnl).toBeGreaterThan(0);
  });

  it('sizes by confidence: fraction × min(1, |fast − slow| / ATR) at the signal bar', () => {
    const { r } = run(loud);
    const entry = r.orders.find((o) => o.tag === 'ma-cross-up')!;
    const b = bars(closes, loud);
    const fast = new EMA(5);
    const slow = new EMA(15);
    const atr = new ATR(10);
    let conf = Number.NaN;
    for (let i = 0; i < b.length && b.ts[i]! <= entry.createdAt; i++) {
      const d = fast.update(b.close[i]!) - slow.update(b.close[i]!);
      conf = Math.min(1, Math.abs(d) / atr.update(b.high[i]!, b.low[i]!, b.close[i]!));
    }
    expect(conf).toBeGreaterThanOrEqual(0.25);
    expect(entry.sizingFraction).toBeCloseTo(0.95 * conf, 12);
  });

  it('does not enter when volume does not confirm, nor when the required confidence is never reached', () => {
    expect(run(quiet).r.orders.filter((o) => o.side === 'buy')).toHaveLength(0);
    expect(run(loud, { minConfidence: 1, fullConfidenceAtr: 50 }).r.orders).toHaveLength(0);
    // With the volume rule off, the quiet path trades too.
    expect(run(quiet, { volumeFactor: 0 }).r.trades).toHaveLength(1);
  });

  it('with short=true also sells the confirmed cross down', () => {
    const { r } = run(
      loud.map(() => 2000),
      { short: true, volumeFactor: 0 },
    );
    expect(r.orders.some((o) => o.tag === 'ma-cross-down' && o.status === 'filled')).toBe(true);
  });

  it('validates its parameters', () => {
    expect(() => createStrategy('ma-cross-confidence', { fast: 30, slow: 10 })).toThrow(/fast/);
    expect(() => createStrategy('ma-cross-confidence', { ma: 'wma' })).toThrow(/ma/);
    expect(createStrategy('ma-cross-confidence', { ma: 'sma' })).toBeInstanceOf(MaCrossConfidence);
  });
});
