/**
 * The contract every indicator keeps, in the spirit of trading-signals' `testIndicatorContract`:
 *   - fresh: value NaN, not ready;
 *   - warm-up: NaN and not ready for the first `warmup − 1` updates, ready with a finite value from update
 *     `warmup` on, and `update` returns `value`;
 *   - reset: back to the fresh state, and the same inputs reproduce the same values bit for bit;
 *   - stability: over 200,000 bars of a random walk (many re-sum cycles) every value stays finite, and the
 *     final value equals that of a fresh instance fed only the tail of the series (to 1e-9 relative) — a
 *     finite window must not drift, a recursive average must forget its start;
 *   - bad parameters throw a TickerError naming the field.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../core/index.js';
import { KyleLambda, RealizedVolatility, TradeFlowImbalance } from '../features/index.js';
import { TickerError } from '../model/index.js';
import {
  ADX,
  ATR,
  BollingerBands,
  CCI,
  DEMA,
  DonchianChannels,
  EMA,
  MACD,
  OBV,
  ROC,
  RSI,
  RollingMax,
  RollingMin,
  RollingStdDev,
  RollingVWAP,
  SMA,
  SessionVWAP,
  Stochastic,
  TrueRange,
  WMA,
  WilderMA,
  ZScore,
  type IndicatorState,
} from './index.js';

interface Bars {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A seeded random walk around 20,000 with small moves: large level, small spread, as crypto prices. */
function walk(n: number, seed: number): Bars {
  const r = new Random(seed);
  const b: Bars = {
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let p = 20_000;
  for (let i = 0; i < n; i++) {
    const c = p * Math.exp(r.normal(0, 0.001));
    b.close[i] = c;
    b.high[i] = Math.max(p, c) * (1 + Math.abs(r.normal(0, 0.0005)));
    b.low[i] = Math.min(p, c) * (1 - Math.abs(r.normal(0, 0.0005)));
    b.volume[i] = 1 + r.int(1000);
    p = c;
  }
  return b;
}

interface ContractCase<T extends IndicatorState> {
  readonly name: string;
  make(): T;
  step(ind: NoInfer<T>, b: Bars, i: number): number;
  /** Bars a fresh instance needs to reproduce the value (window, or enough multiples of an EMA's span). */
  readonly memory: number;
  /** Cumulative indicators (OBV, session VWAP) never forget their start: skip the tail comparison. */
  readonly cumulative?: boolean;
  readonly bad: readonly (() => unknown)[];
}

const C = (ind: { update(x: number): number }, b: Bars, i: number) => ind.update(b.close[i]!);
const HLC = (ind: { update(h: number, l: number, c: number): number }, b: Bars, i: number) =>
  ind.update(b.high[i]!, b.low[i]!, b.close[i]!);
const HLCV = (ind: { update(h: number, l: number, c: number, v: number): number }, b: Bars, i: number) =>
  ind.update(b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!);

function contract<T extends IndicatorState>(k: ContractCase<T>): ContractCase<IndicatorState> {
  return k as unknown as ContractCase<IndicatorState>;
}

const cases = [
  contract({
    name: 'SMA(20)',
    make: () => new SMA(20),
    step: C,
    memory: 20,
    bad: [() => new SMA(0), () => new SMA(2.5)],
  }),
  contract({
    name: 'EMA(20)',
    make: () => new EMA(20),
    step: C,
    memory: 1500,
    bad: [() => new EMA(0), () => new EMA(5, { seed: 'x' as 'sma' })],
  }),
  contract({
    name: "EMA(20, seed 'first')",
    make: () => new EMA(20, { seed: 'first' }),
    step: C,
    memory: 1500,
    bad: [],
  }),
  contract({
    name: 'WilderMA(14)',
    make: () => new WilderMA(14),
    step: C,
    memory: 1500,
    bad: [() => new WilderMA(-1)],
  }),
  contract({ name: 'WMA(30)', make: () => new WMA(30), step: C, memory: 30, bad: [() => new WMA(0)] }),
  contract({ name: 'DEMA(30)', make: () => new DEMA(30), step: C, memory: 3000, bad: [() => new DEMA(0)] }),
  contract({ name: 'RSI(14)', make: () => new RSI(14), step: C, memory: 1500, bad: [() => new RSI(0)] }),
  contract({
    name: 'MACD(12, 26, 9)',
    make: () => new MACD(12, 26, 9),
    step: C,
    memory: 3000,
    bad: [() => new MACD(26, 12, 9), () => new MACD(12, 26, 0)],
  }),
  contract({
    name: 'RollingStdDev(20)',
    make: () => new RollingStdDev(20),
    step: C,
    memory: 20,
    bad: [() => new RollingStdDev(0), () => new RollingStdDev(5, { ddof: 2 as 1 })],
  }),
  contract({
    name: 'RollingStdDev(20, ddof 1)',
    make: () => new RollingStdDev(20, { ddof: 1 }),
    step: C,
    memory: 20,
    bad: [],
  }),
  contract({
    name: 'ZScore(50)',
    make: () => new ZScore(50),
    step: C,
    memory: 50,
    bad: [() => new ZScore(1)],
  }),
  contract({
    name: 'BollingerBands(20, 2)',
    make: () => new BollingerBands(20, 2),
    step: C,
    memory: 20,
    bad: [() => new BollingerBands(20, 0), () => new BollingerBands(1)],
  }),
  contract({ name: 'ROC(10)', make: () => new ROC(10), step: C, memory: 11, bad: [() => new ROC(0)] }),
  contract({
    name: 'RollingMax(50)',
    make: () => new RollingMax(50),
    step: C,
    memory: 50,
    bad: [() => new RollingMax(0)],
  }),
  contract({
    name: 'RollingMin(50)',
    make: () => new RollingMin(50),
    step: C,
    memory: 50,
    bad: [() => new RollingMin(0)],
  }),
  contract({ name: 'TrueRange', make: () => new TrueRange(), step: HLC, memory: 2, bad: [] }),
  contract({ name: 'ATR(14)', make: () => new ATR(14), step: HLC, memory: 1500, bad: [() => new ATR(0)] }),
  contract({
    name: 'Stochastic(14, 3, 3)',
    make: () => new Stochastic(14, 3, 3),
    step: HLC,
    memory: 20,
    bad: [() => new Stochastic(0)],
  }),
  contract({ name: 'ADX(14)', make: () => new ADX(14), step: HLC, memory: 3000, bad: [() => new ADX(1)] }),
  contract({ name: 'CCI(20)', make: () => new CCI(20), step: HLC, memory: 20, bad: [() => new CCI(1)] }),
  contract({
    name: 'DonchianChannels(20)',
    make: () => new DonchianChannels(20),
    step: HLC,
    memory: 20,
    bad: [() => new DonchianChannels(0)],
  }),
  contract({
    name: 'OBV',
    make: () => new OBV(),
    step: (ind: OBV, b: Bars, i: number) => ind.update(b.close[i]!, b.volume[i]!),
    memory: 0,
    cumulative: true,
    bad: [],
  }),
  contract({
    name: 'SessionVWAP',
    make: () => new SessionVWAP(),
    step: HLCV,
    memory: 0,
    cumulative: true,
    bad: [() => new SessionVWAP({ sessionUs: 0 }), () => new SessionVWAP({ price: 'open' as 'close' })],
  }),
  // Microstructure features with the same state contract (src/features), fed from the same bars.
  contract({
    name: 'TradeFlowImbalance(50)',
    make: () => new TradeFlowImbalance(50),
    step: (ind: TradeFlowImbalance, b: Bars, i: number) =>
      ind.update(i > 0 && b.close[i]! < b.close[i - 1]! ? -1 : 1, b.volume[i]!),
    memory: 50,
    bad: [() => new TradeFlowImbalance(0)],
  }),
  contract({
    name: 'RealizedVolatility(50)',
    make: () => new RealizedVolatility(50),
    step: C,
    memory: 51,
    bad: [() => new RealizedVolatility(0)],
  }),
  contract({
    name: 'KyleLambda(100)',
    make: () => new KyleLambda(100),
    step: (ind: KyleLambda, b: Bars, i: number) =>
      ind.update(i > 0 ? b.close[i]! - b.close[i - 1]! : 0, (i % 3 === 0 ? -1 : 1) * b.volume[i]!),
    memory: 100,
    bad: [() => new KyleLambda(1)],
  }),
  contract({
    name: 'RollingVWAP(30)',
    make: () => new RollingVWAP(30),
    step: HLCV,
    memory: 30,
    bad: [() => new RollingVWAP(0)],
  }),
];

const SHORT = walk(500, 11);
const LONG = walk(200_000, 12);

function feed(
  k: ContractCase<IndicatorState>,
  ind: IndicatorState,
  b: Bars,
  from: number,
  to: number,
): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const v = k.step(ind, b, i);
    expect(
      v === ind.value || (Number.isNaN(v) && Number.isNaN(ind.value)),
      `${k.name}: update returns value`,
    ).toBe(true);
    out.push(v);
  }
  return out;
}

describe.each(cases)('indicator contract: $name', (k) => {
  it('starts NaN and not ready', () => {
    const ind = k.make();
    expect(ind.value).toBeNaN();
    expect(ind.ready).toBe(false);
    expect(ind.warmup).toBeGreaterThanOrEqual(1);
  });

  it('is NaN and not ready for warmup − 1 updates, then ready with finite values', () => {
    const ind = k.make();
    for (let i = 0; i < SHORT.close.length; i++) {
      const v = k.step(ind, SHORT, i);
      if (i < ind.warmup - 1) {
        expect(v, `update ${i + 1}`).toBeNaN();
        expect(ind.ready, `update ${i + 1}`).toBe(false);
      } else {
        expect(Number.isFinite(v), `update ${i + 1}`).toBe(true);
        expect(ind.ready, `update ${i + 1}`).toBe(true);
      }
    }
  });

  it('reset() returns to the initial state and reproduces the same values', () => {
    const ind = k.make();
    const first = feed(k, ind, SHORT, 0, SHORT.close.length);
    ind.reset();
    expect(ind.value).toBeNaN();
    expect(ind.ready).toBe(false);
    const second = feed(k, ind, SHORT, 0, SHORT.close.length);
    expect(second).toEqual(first);
    const fresh = feed(k, k.make(), SHORT, 0, SHORT.close.length);
    expect(fresh).toEqual(first);
  });

  it('stays finite over 200,000 bars and agrees with a fresh instance fed only the tail', () => {
    const ind = k.make();
    const n = LONG.close.length;
    let finite = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(k.step(ind, LONG, i))) finite++;
    expect(finite).toBe(n - ind.warmup + 1);
    if (k.cumulative) return;
    const tail = k.make();
    for (let i = n - k.memory - tail.warmup; i < n; i++) k.step(tail, LONG, i);
    const rel = Math.abs(tail.value - ind.value) / Math.max(Math.abs(ind.value), 1e-9);
    expect(rel, `long ${ind.value} vs tail ${tail.value}`).toBeLessThan(1e-9);
  });

  it.skipIf(k.bad.length === 0)('rejects bad parameters with a TickerError naming the field', () => {
    for (const make of k.bad) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TickerError);
      expect((err as TickerError).code).toBe('INVALID_ARGUMENT');
      expect((err as TickerError).field).toMatch(/^[a-zA-Z]+\.[a-zA-Z]+$/);
    }
  });
});
