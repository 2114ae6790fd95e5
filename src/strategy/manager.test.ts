import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../engine/backtest.js';
import { type Bar, BarSeries, type Fill, Instrument, instrumentId } from '../model/index.js';
import { type Contribution, aggregate, contributionOf } from './aggregation.js';
import { AttributionBook, UNATTRIBUTED } from './attribution.js';
import { StrategyManager } from './manager.js';
import type { SignalInput } from './signal.js';
import { Strategy } from './strategy.js';

const DAY = 86_400_000_000;
const series = (id: string, closes: readonly number[], from = 0) =>
  BarSeries.fromRows(
    instrumentId(id),
    closes.map((c, i) => ({ ts: DAY * (10 + from + i), open: c, high: c, low: c, close: c, volume: 1000 })),
  );
const eq = (id: string) =>
  new Instrument({ id, kind: 'equity', base: id, quote: 'USD', tickSize: 0.01, lotSize: 1 });

type Step = readonly [SignalInput['direction'], number, number];
/** Emits scripted signals: script[instrument][n] is sent on its n-th bar (0-based). Stateful. */
class Scripted extends Strategy<object> {
  private seen: Record<string, number> = {};
  constructor(
    id: string,
    private readonly script: Record<string, Record<number, Step>>,
    private readonly throwAt = -1,
  ) {
    super({}, id);
  }
  override onBar(bar: Bar): void {
    const n = this.seen[bar.instrumentId] ?? 0;
    this.seen[bar.instrumentId] = n + 1;
    if (n === this.throwAt) throw new Error(`${this.id} broke`);
    const s = this.script[bar.instrumentId]?.[n];
    if (s)
      this.ctx.signal({ instrumentId: bar.instrumentId, direction: s[0], strength: s[1], confidence: s[2] });
  }
  snapshotState(): unknown {
    return { seen: { ...this.seen } };
  }
  restoreState(s: unknown): void {
    this.seen = { ...(s as { seen: Record<string, number> }).seen };
  }
}

const fillRow = (f: Fill) => [f.instrumentId, f.side, f.quantity, f.price, f.fee, f.ts / DAY];

describe('aggregate (hand-computed)', () => {
  it('sizes each signal on its allocation with the default sizing, weighted by confidence', () => {
    // 100,000 × 0.5 allocation × 0.02 riskShare × strength 1 × confidence 0.8 = 800.
    expect(contributionOf({ direction: 'long', strength: 1, confidence: 0.8 }, 100_000, 0.5)).toBeCloseTo(
      800,
      9,
    );
    // 100,000 × 0.3 × 0.02 × 0.5 × 0.6 = 180, short.
    expect(contributionOf({ direction: 'short', strength: 0.5, confidence: 0.6 }, 100_000, 0.3)).toBeCloseTo(
      -180,
      9,
    );
    // Capped at maxPositionShare of the allocated capital: 100,000 × 0.5 × 0.25 = 12,500.
    expect(
      contributionOf({ direction: 'long', strength: 1, confidence: 1 }, 100_000, 0.5, { riskShare: 1 }),
    ).toBe(12_500);
    expect(contributionOf({ direction: 'flat', strength: 1, confidence: 1 }, 100_000, 0.5)).toBe(0);
  });

  const c = (strategyId: string, value: number): Contribution => ({ strategyId, value });

  it('agreeing signals add up', () => {
    const a = aggregate([c('a', 800), c('b', 200)]);
    expect([a.target, a.long, a.short, a.resolution]).toEqual([1000, 1000, 0, 'agree']);
  });

  it('opposing signals: netted when the weaker side is below conflictRatio of the stronger', () => {
    // L = 800 + 200 = 1000, S = 300: 300 < 0.5 × 1000 → target 700; each keeps its share.
    const a = aggregate([c('a', 800), c('b', -300), c('c', 200)], 0.5);
    expect([a.target, a.long, a.short, a.resolution]).toEqual([700, 1000, 300, 'netted']);
    expect([...a.contributions]).toEqual([
      ['a', 800],
      ['b', -300],
      ['c', 200],
    ]);
  });

  it('opposing signals: stand aside when the weaker side is at least conflictRatio of the stronger', () => {
    // L = 800, S = 400 = 0.5 × 800 → flat, every share 0.
    const a = aggregate([c('a', 800), c('b', -400)], 0.5);
    expect([a.target, a.resolution, [...a.contributions.values()]]).toEqual([0, 'stand-aside', [0, 0]]);
    // The same pair with conflictRatio 0.6 is netted: 400.
    expect(aggregate([c('a', 800), c('b', -400)], 0.6).target).toBe(400);
    // conflictRatio 0: any disagreement stands aside.
    expect(aggregate([c('a', 800), c('b', -1)], 0).target).toBe(0);
    expect(() => aggregate([], 1.5)).toThrow(/conflictRatio/);
  });
});

describe('AttributionBook', () => {
  it('crosses opposing wants at the mark, sends what nobody waits for to UNATTRIBUTED, reconciles exactly', () => {
    const b = new AttributionBook();
    b.setDesired('X', new Map([['a', 10]]), 100);
    b.onFill('X', 10, 100, 1); // a: +10 @100, fee 1
    // a wants 16 (+6), b wants −6: b sells 6 to a inside the manager at 105, no order, no fee.
    b.setDesired(
      'X',
      new Map([
        ['a', 16],
        ['b', -6],
      ]),
      105,
    );
    const a = b.line('X', 'a');
    const bb = b.line('X', 'b');
    expect([a.quantity, a.avgPrice, bb.quantity, bb.avgPrice]).toEqual([
      16,
      (10 * 100 + 6 * 105) / 16,
      -6,
      105,
    ]);
    // A sell of 2 nobody waits for (every want is met): UNATTRIBUTED −2 @104 with its fee.
    b.onFill('X', -2, 104, 0.2);
    const u = b.line('X', UNATTRIBUTED);
    expect([u.quantity, u.avgPrice, u.fees]).toEqual([-2, 104, 0.2]);
    // Real book: +10 @100, −2 @104, fees 1.2, marked at 110: 2×4 + 8×10 − 1.2 = 86.8.
    // Lines: a 16×(110 − 101.875) − 1 = 129; b −6×(110 − 105) = −30; u −2×(110 − 104) − 0.2 = −12.2.
    let sum = 0;
    for (const [, l] of b.lines.get('X')!) sum += l.realizedPnl + b.unrealized('X', l, 110) - l.fees;
    expect(sum).toBeCloseTo(86.8, 9);
    expect(a.quantity + bb.quantity + u.quantity).toBe(8);
  });

  it('a fill is shared by the strategies waiting on its side, in proportion', () => {
    const b = new AttributionBook();
    b.setDesired(
      'X',
      new Map([
        ['a', 30],
        ['b', 10],
      ]),
      50,
    );
    b.onFill('X', 20, 50, 2); // a 15 (fee 1.5), b 5 (fee 0.5)
    b.onFill('X', 25, 51, 2.5); // waiting a 15, b 5 → a 15, b 5; 5 left → UNATTRIBUTED (fee 0.5)
    expect([b.line('X', 'a').quantity, b.line('X', 'a').fees, b.line('X', 'b').quantity]).toEqual([
      30, 3, 10,
    ]);
    expect(b.line('X', 'a').avgPrice).toBeCloseTo(50.5, 12);
    expect(b.line('X', 'b').fees).toBeCloseTo(1, 12);
    expect([b.line('X', UNATTRIBUTED).quantity, b.line('X', UNATTRIBUTED).fees]).toEqual([5, 0.5]);
  });
});

describe('StrategyManager in a backtest', () => {
  const opts = { riskShare: 1, maxPositionShare: 1, conflictRatio: 0.5 };
  const engine = (closes: Record<string, readonly number[]>, from = 0, to = Infinity) => {
    const e = new BacktestEngine({ cash: 100_000, commission: 0, accountType: 'margin', finalize: 'none' });
    for (const [id, c] of Object.entries(closes))
      e.addInstrument(eq(id), series(id, c.slice(from, to), from));
    return e;
  };

  it('nets two strategies, trades the target and attributes P&L (hand-computed)', () => {
    const e = engine({ AAA: [100, 100, 110, 120, 120, 100] });
    const a = new Scripted('a', { AAA: { 0: ['long', 1, 0.8], 3: ['flat', 0, 0] } });
    const b = new Scripted('b', { AAA: { 1: ['short', 1, 0.3] } });
    const m = new StrategyManager(
      [
        { strategy: a, allocation: 0.5 },
        { strategy: b, allocation: 0.5 },
      ],
      opts,
    ).attach(e);
    const r = e.run();
    // bar 0: a = 100,000 × 0.5 × 0.8 = 40,000 → 400 @100, bought at bar 1's open.
    // bar 1: b = −100,000 × 0.5 × 0.3 = −15,000; 15,000 < 0.5 × 40,000 → netted: 25,000 → 250; sell 150 @110.
    // bar 3: a flat; equity 100,000 + 400×10 + 250×10 = 106,500; b = −106,500 × 0.15 = −15,975 → −133.125
    //   units at 120, target −133. Cross: b waits +16.875, a −400 → a sells 16.875 to b at 120. The
    //   manager sells 383 @120 (bar 4): all to a (waits 383.125), who keeps 0.125.
    expect(r.fills.map(fillRow)).toEqual([
      ['AAA', 'buy', 400, 100, 0, 11],
      ['AAA', 'sell', 150, 110, 0, 12],
      ['AAA', 'sell', 383, 120, 0, 14],
    ]);
    const rep = m.report();
    const [pa, pb] = rep.strategies;
    // a: (16.875 + 383) × (120 − 100) = 7,997.5 realized; 0.125 left at avg 100, marked 100.
    expect(pa!.realizedPnl).toBeCloseTo(7997.5, 9);
    expect(pa!.positions.AAA).toBeCloseTo(0.125, 12);
    expect(pa!.netPnl).toBeCloseTo(7997.5, 9);
    // b: short 150 @110, bought 16.875 back at 120: −168.75; −133.125 marked at 100: +1,331.25.
    expect(pb!.realizedPnl).toBeCloseTo(-168.75, 9);
    expect(pb!.unrealizedPnl).toBeCloseTo(1331.25, 9);
    expect(pb!.positions.AAA).toBeCloseTo(-133.125, 12);
    // Σ = the account's P&L: 400×10 + 250×10 + 250×0 − 133×(100 − 120) = 9,160.
    expect(r.kernel.portfolio.equity() - 100_000).toBeCloseTo(9160, 9);
    expect(pa!.netPnl + pb!.netPnl + rep.unattributed.netPnl).toBeCloseTo(9160, 9);
    expect(rep.targets.AAA).toEqual({ target: -133, held: -133 });
    expect([pa!.roundTrips, pb!.roundTrips]).toEqual([0, 0]);
  });

  it('stands aside on a strong conflict and unwinds', () => {
    const e = engine({ AAA: [100, 100, 100, 100] });
    const a = new Scripted('a', { AAA: { 0: ['long', 1, 0.8] } });
    const b = new Scripted('b', { AAA: { 1: ['short', 1, 0.6] } }); // 30,000 ≥ 0.5 × 40,000
    new StrategyManager(
      [
        { strategy: a, allocation: 0.5 },
        { strategy: b, allocation: 0.5 },
      ],
      opts,
    ).attach(e);
    expect(e.run().fills.map(fillRow)).toEqual([
      ['AAA', 'buy', 400, 100, 0, 11],
      ['AAA', 'sell', 400, 100, 0, 12],
    ]);
  });

  it('a member that throws is stopped and reported, its share unwound; the others go on', () => {
    const e = engine({ AAA: [100, 100, 100, 100, 100], BBB: [50, 50, 50, 50, 50] });
    const good = new Scripted('good', { BBB: { 0: ['long', 1, 1], 3: ['long', 0.1, 1] } });
    const bad = new Scripted('bad', { AAA: { 0: ['long', 1, 1] } }, 2);
    const m = new StrategyManager(
      [
        { strategy: good, allocation: 0.5, instruments: ['BBB'] },
        { strategy: bad, allocation: 0.5, instruments: ['AAA'] },
      ],
      { ...opts, maxPositionShare: 0.2 },
    ).attach(e);
    const r = e.run();
    expect(r.kernel.failed.get('bad')?.message).toBe('bad broke');
    const rep = m.report();
    expect(rep.failures.map((f) => [f.strategyId, f.hook, f.error])).toEqual([['bad', 'onBar', 'bad broke']]);
    // bad: 100,000 × 0.5 × 0.2 cap = 10,000 → 100 AAA, unwound after it failed on bar 2 (sold at bar 3).
    // good: 10,000 → 200 BBB, then strength 0.1 on bar 3: 5,000 → 100: it kept trading.
    expect(r.fills.map(fillRow)).toEqual([
      ['AAA', 'buy', 100, 100, 0, 11],
      ['BBB', 'buy', 200, 50, 0, 11],
      ['AAA', 'sell', 100, 100, 0, 13],
      ['BBB', 'sell', 100, 50, 0, 14],
    ]);
    expect(rep.strategies.map((s) => [s.strategyId, s.failed, s.positions])).toEqual([
      ['good', false, { BBB: 100 }],
      ['bad', true, { AAA: 0 }],
    ]);
  });

  it('state survives a restart: half a run, snapshot, restore into new instances = one uninterrupted run', () => {
    const closes = {
      AAA: [100, 102, 101, 105, 107, 104, 103, 108, 110, 106, 104, 109],
      BBB: [50, 49, 51, 52, 50, 48, 47, 49, 53, 54, 52, 51],
    };
    const scripts = {
      a: {
        AAA: { 0: ['long', 1, 0.7], 3: ['long', 0.5, 0.9], 7: ['short', 1, 0.4] },
        BBB: { 1: ['long', 1, 1] },
      },
      b: {
        AAA: { 2: ['short', 1, 0.3], 8: ['flat', 0, 0] },
        BBB: { 4: ['short', 1, 0.8], 9: ['long', 1, 0.2] },
      },
    } as unknown as Record<string, Record<string, Record<number, Step>>>;
    const build = () => {
      const a = new Scripted('a', scripts.a!);
      const b = new Scripted('b', scripts.b!);
      return new StrategyManager(
        [
          { strategy: a, allocation: 0.6 },
          { strategy: b, allocation: 0.4 },
        ],
        { riskShare: 0.5, conflictRatio: 0.7 },
      );
    };
    // Uninterrupted.
    const e0 = engine(closes);
    const m0 = build().attach(e0);
    const r0 = e0.run();
    // First half (bars 0–5), then a "restart": new engine, new instances, portfolio rebuilt from the
    // first half's fills (what the TradingNode's journal recovery does), strategy state from the snapshot.
    const e1 = engine(closes, 0, 6);
    const m1 = build().attach(e1);
    const r1 = e1.run();
    expect(r1.kernel.execution.openOrders()).toEqual([]); // nothing in flight at the cut
    const saved = JSON.stringify(m1.snapshotState());
    const e2 = engine(closes, 6);
    for (const f of r1.fills) e2.kernel.portfolio.applyFill(f);
    const m2 = build().attach(e2);
    m2.restoreState(JSON.parse(saved));
    const r2 = e2.run();
    const after = r0.fills.filter((f) => f.ts >= DAY * 16).map(fillRow);
    expect(after.length).toBeGreaterThan(0);
    expect(r2.fills.map(fillRow)).toEqual(after);
    expect(r1.fills.length + r2.fills.length).toBe(r0.fills.length);
    expect(r2.kernel.portfolio.equity()).toBeCloseTo(r0.kernel.portfolio.equity(), 9);
    expect(m2.report()).toEqual(m0.report());
  });
});
