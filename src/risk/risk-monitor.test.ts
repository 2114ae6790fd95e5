import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../engine/backtest.js';
import { Bar, BarSeries, Instrument, type OrderDenied, Position, instrumentId } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { parseRiskConfig } from './config.js';
import type { RiskActions } from './kill-switch.js';
import { PriceHistory } from './price-history.js';
import { RiskMonitor, StepMark } from './risk-monitor.js';
import { TradingStates } from './trading-state.js';

const DAY = 86_400_000_000;
const eq = (id: string) =>
  new Instrument({ id, kind: 'equity', base: id, quote: 'USD', tickSize: 0.01, lotSize: 1 });
type Row = { open: number; high: number; low: number; close: number };
const series = (id: string, rows: Row[]) =>
  BarSeries.fromRows(
    instrumentId(id),
    rows.map((r, i) => ({ ts: DAY * (100 + i), ...r })),
  );
const flat = (c: number): Row => ({ open: c, high: c, low: c, close: c });

/** Buys `qty` on the first bar, then tries to buy one more on every bar from `retryFrom` (to see denials). */
class BuyOnce extends Strategy<object> {
  denied: OrderDenied[] = [];
  constructor(
    private readonly qty: number,
    private readonly retryFrom = Infinity,
  ) {
    super({}, 'buy-once');
  }
  override onBar(bar: Bar): void {
    if (bar.index === 0) this.ctx.buy({ quantity: this.qty });
    else if (bar.index >= this.retryFrom) this.ctx.buy({ quantity: 1 });
  }
  override onOrderDenied(d: OrderDenied): void {
    this.denied.push(d);
  }
}

const quiet = { dailyLossLimit: 1, anomaly: { jumpSigmas: null }, stopLoss: null, takeProfit: null } as const;

describe('RiskMonitor circuit breakers', () => {
  it('max drawdown closes everything and halts at the bar it is breached', () => {
    const closes = [100, 100, 100, 97, 94, 91, 89, 85, 80, 90];
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, maxPositionShare: 1, maxDrawdown: 0.1 },
    });
    const s = new BuyOnce(99, 8);
    e.addInstrument(eq('X'), series('X', closes.map(flat))).addStrategy(s);
    const r = e.run();
    // Bought 99 at bar 1's open (100). Equity at close c: 100 + 99c. 10% below 10,000 is 9,000: c < 89.9 at bar 6.
    const ev = r.riskEvents.find((x) => x.kind === 'max-drawdown')!;
    expect(ev.step).toBe(6);
    expect(ev.limit).toBe(0.1);
    expect(ev.actual).toBeCloseTo(1 - (100 + 99 * 89) / 10_000, 12);
    const close = r.fills.find((f) => f.side === 'sell')!;
    expect(close.price).toBe(85); // the kill switch's market order fills at the next bar's open
    expect(r.kernel.portfolio.position('X')!.quantity).toBe(0);
    expect(r.kernel.risk.states.accountState()).toBe('halted');
    // Every later order of the strategy is denied by the trading state.
    expect(s.denied.length).toBe(2);
    expect(s.denied.every((d) => d.rule === 'trading-state')).toBe(true);
    expect(r.equity[r.equity.length - 1]).toBe(100 + 99 * 85);
  });

  it('places an engine-managed stop loss when the strategy sets none; it fills at the stop price', () => {
    const rows = [
      flat(100),
      flat(100),
      { open: 99, high: 99, low: 96, close: 97 },
      { open: 97, high: 97, low: 94, close: 95 },
      flat(95),
    ];
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, stopLoss: 0.05, takeProfit: 0.1 },
    });
    e.addInstrument(eq('X'), series('X', rows)).addStrategy(new BuyOnce(20));
    const r = e.run();
    const sl = r.fills.find((f) => f.side === 'sell')!;
    expect(sl.price).toBe(95); // 100 × (1 − 5%)
    expect(sl.quantity).toBe(20);
    expect(r.orders.find((o) => o.id === sl.orderId)!.tag).toBe('risk:stop-loss');
    expect(r.kernel.portfolio.position('X')!.quantity).toBe(0);
    const ev = r.riskEvents.find((x) => x.kind === 'stop-loss')!;
    expect(ev.step).toBe(3);
    // The take profit of the same position was canceled (one cancels the other).
    const tp = r.orders.find((o) => o.tag === 'risk:take-profit')!;
    expect(tp.status).toBe('canceled');
  });

  it('places an engine-managed take profit; it fills at the limit price', () => {
    const rows = [
      flat(100),
      flat(100),
      { open: 104, high: 108, low: 103, close: 107 },
      { open: 108, high: 111, low: 107, close: 109 },
      flat(109),
    ];
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, stopLoss: 0.05, takeProfit: 0.1 },
    });
    e.addInstrument(eq('X'), series('X', rows)).addStrategy(new BuyOnce(20));
    const r = e.run();
    const tp = r.fills.find((f) => f.side === 'sell')!;
    expect(tp.price).toBe(110);
    expect(r.orders.find((o) => o.id === tp.orderId)!.tag).toBe('risk:take-profit');
    expect(r.riskEvents.find((x) => x.kind === 'take-profit')!.step).toBe(3);
    expect(r.orders.find((o) => o.tag === 'risk:stop-loss')!.status).toBe('canceled');
  });

  it('leaves exits to a strategy that sets its own stop', () => {
    class WithStop extends BuyOnce {
      override onFill(): void {
        this.ctx.sell({ type: 'stop-market', triggerPrice: 90, quantity: 20, reduceOnly: true });
      }
    }
    const rows = [flat(100), flat(100), { open: 99, high: 99, low: 94, close: 95 }, flat(95)];
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, stopLoss: 0.05 },
    });
    e.addInstrument(eq('X'), series('X', rows)).addStrategy(new WithStop(20));
    const r = e.run();
    expect(r.orders.some((o) => o.tag === 'risk:stop-loss')).toBe(false);
    expect(r.kernel.portfolio.position('X')!.quantity).toBe(20);
  });

  it('daily loss limit puts the account in reducing mode until the next day', () => {
    const closes = [100, 100, 100, 79, 79, 79];
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, dailyLossLimit: 0.05, maxDrawdown: 0.9 },
    });
    const s = new BuyOnce(25, 3);
    e.addInstrument(eq('X'), series('X', closes.map(flat))).addStrategy(s);
    const r = e.run();
    const ev = r.riskEvents.find((x) => x.kind === 'daily-loss')!;
    expect(ev.step).toBe(3);
    expect(ev.actual).toBeCloseTo(525 / 10_000, 12); // 25 × 21 lost from the previous close's 10,000
    // The breaker trips after bar 3's strategies ran, so bar 4's buy is the one refused; the next day
    // (step 4's check) resets it and bar 5 trades again.
    expect(s.denied.map((d) => d.rule)).toEqual(['trading-state']);
    expect(s.denied[0]!.order.createdAt).toBe(DAY * 104);
    expect(r.riskEvents.some((x) => x.kind === 'daily-reset' && x.step === 4)).toBe(true);
  });

  it('pauses an instrument on a price jump beyond k σ and resumes after the configured bars', () => {
    const closes: number[] = [];
    for (let i = 0; i < 40; i++) closes.push(100 * (1 + 0.001 * Math.sin(i)));
    closes.push(closes[39]! * 1.1);
    for (let i = 0; i < 6; i++) closes.push(closes[40]!);
    const e = new BacktestEngine({
      cash: 10_000,
      commission: 0,
      finalize: 'none',
      risk: { ...quiet, anomaly: { jumpSigmas: 8, warmupBars: 20, resumeAfterBars: 3 } },
    });
    const s = new BuyOnce(1, 40);
    e.addInstrument(eq('X'), series('X', closes.map(flat))).addStrategy(s);
    const r = e.run();
    const jump = r.riskEvents.find((x) => x.kind === 'price-jump')!;
    expect(jump.step).toBe(40);
    expect(jump.actual!).toBeGreaterThan(8);
    expect(s.denied.map((d) => d.rule)).toEqual([
      'instrument-paused',
      'instrument-paused',
      'instrument-paused',
    ]);
    expect(r.riskEvents.find((x) => x.kind === 'resumed')!.step).toBe(43);
  });

  it('a plan kept for the same bars is reused only with the same jump settings', () => {
    const closes: number[] = [];
    for (let i = 0; i < 60; i++) closes.push(100 * (1 + 0.001 * Math.sin(i)) * (i >= 40 ? 1.05 : 1));
    const bars = series('X', closes.map(flat));
    const jumps = (jumpSigmas: number) => {
      const e = new BacktestEngine({
        cash: 10_000,
        commission: 0,
        finalize: 'none',
        risk: { ...quiet, anomaly: { jumpSigmas, warmupBars: 20, resumeAfterBars: 3 } },
      });
      e.addInstrument(eq('X'), bars).addStrategy(new BuyOnce(1));
      return e
        .run()
        .riskEvents.filter((x) => x.kind === 'price-jump')
        .map((x) => [x.step, x.actual]);
    };
    const at8 = jumps(8);
    expect(at8.map((x) => x[0])).toEqual([40]);
    // A 5% step is some 70 σ here: with k = 1000 nothing fires, with 8 again the same event.
    expect(jumps(1000)).toEqual([]);
    expect(jumps(8)).toEqual(at8);
  });

  it('the kill switch cancels every order and flattens every position', () => {
    class Resting extends Strategy<object> {
      constructor() {
        super({}, 'resting');
      }
      override onBar(bar: Bar): void {
        if (bar.index === 0) {
          this.ctx.buy({ quantity: 10 });
          this.ctx.buy({ type: 'limit', price: 90, quantity: 5 });
        }
      }
    }
    const e = new BacktestEngine({ cash: 10_000, commission: 0, finalize: 'none', risk: quiet });
    e.addInstrument(eq('X'), series('X', [100, 100, 100, 101, 102].map(flat))).addStrategy(new Resting());
    e.kernel.bus.subscribe('data.bars.X', (b: Bar) => {
      if (b.index === 2) e.kernel.killSwitch('by hand');
    });
    const r = e.run();
    expect(r.orders.find((o) => o.type === 'limit')).toMatchObject({
      status: 'canceled',
      reason: 'canceled by the risk kill switch',
    });
    expect(r.kernel.portfolio.position('X')!.quantity).toBe(0);
    expect(r.fills.at(-1)!.price).toBe(101);
    expect(r.riskEvents[0]).toMatchObject({ kind: 'kill-switch', message: 'by hand' });
    expect(r.kernel.risk.states.accountState()).toBe('halted');
  });
});

describe('RiskMonitor: the planned jump test (backtests) and the bar-by-bar one (paper, live) agree', () => {
  it('raises the same events at the same steps, with the same numbers', () => {
    // Two instruments: A has a bar every step, B every other step (its bar index is not the step). Both
    // walk with noise and jump several times (A once while already paused, B after a zero close, which the
    // test skips); A is resumed by hand once and stale-data checks are on.
    const HOUR = 3_600_000_000;
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
    const a: number[] = [];
    const b: number[] = [];
    let pa = 100;
    let pb = 50;
    for (let i = 0; i < 400; i++) {
      pa *= 1 + 0.002 * rnd() + (i === 120 || i === 123 || i === 300 ? 0.08 : 0);
      a.push(pa);
    }
    for (let i = 0; i < 200; i++) {
      pb *= 1 + 0.003 * rnd() + (i === 90 ? -0.1 : 0);
      b.push(i === 150 ? 0 : i === 151 ? pb * 1.2 : pb);
    }
    // With a second instrument or the stale-data check, planned instruments act every bar (prices are
    // recorded); one instrument without it acts only at its planned jumps and while paused.
    const run = (planned: boolean, stale: boolean, withB = true) => {
      const config = parseRiskConfig({
        ...quiet,
        anomaly: {
          jumpSigmas: 5,
          warmupBars: 20,
          halfLifeBars: 20,
          resumeAfterBars: 6,
          staleAfterUs: stale ? 3 * HOUR : null,
        },
      });
      const actions: RiskActions = {
        cancelAllOrders() {},
        cancel() {},
        closePosition: () => undefined,
        placeExit: () => undefined,
        hasStrategyExit: () => false,
        positions: () => [],
      };
      const m = new RiskMonitor({
        config,
        states: new TradingStates(),
        history: new PriceHistory(config.correlation.window, 0),
        actions,
        fills: { fillCount: 0 },
      });
      const ja = m.register('A', new Position(instrumentId('A')));
      const jb = withB ? m.register('B', new Position(instrumentId('B'))) : -1;
      if (planned) {
        m.planBars(ja, Float64Array.from(a));
        if (withB) m.planBars(jb, Float64Array.from(b));
      }
      const barA = new Bar(instrumentId('A'));
      const barB = new Bar(instrumentId('B'));
      const mark = new StepMark();
      for (let step = 0; step < 400; step++) {
        const ts = step * HOUR;
        barA.ts = ts;
        barA.close = a[step]!;
        barA.index = step;
        m.onBar(ja, barA, step);
        if (withB && step % 2 === 0) {
          barB.ts = ts;
          barB.close = b[step / 2]!;
          barB.index = step / 2;
          m.onBar(jb, barB, step);
        }
        if (step === 126) m.resume('A');
        mark.ts = ts;
        mark.equity = 10_000;
        mark.step = step;
        m.onStep(mark);
      }
      return m.events;
    };
    const streamed = run(false, true);
    expect(run(true, true)).toEqual(streamed);
    const alone = run(false, false, false);
    expect(run(true, false, false)).toEqual(alone);
    expect(alone.filter((e) => e.kind === 'price-jump').length).toBeGreaterThanOrEqual(3);
    expect(alone.filter((e) => e.kind === 'resumed').length).toBeGreaterThanOrEqual(2);
    // Not vacuous: jumps on both instruments, resumes by rule and by hand.
    const kinds = streamed.map((e) => `${e.kind}:${e.instrumentId ?? ''}`);
    expect(kinds.filter((k) => k === 'price-jump:A').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('price-jump:B');
    expect(kinds.filter((k) => k.startsWith('resumed')).length).toBeGreaterThanOrEqual(3);
  });
});
