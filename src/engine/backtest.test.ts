import { describe, expect, it } from 'vitest';
import { Random } from '../core/random.js';
import { type Bar, BarSeries, Instrument, instrumentId, type TimerEvent } from '../model/index.js';
import { Strategy } from '../strategy/strategy.js';
import { BacktestEngine } from './backtest.js';

const DAY = 86_400_000_000;
const mk = (id: string, closes: number[], offset = 0) =>
  BarSeries.fromRows(
    instrumentId(id),
    closes.map((c, i) => ({ ts: DAY * (10 + i) + offset, open: c, high: c, low: c, close: c })),
  );
const eq = (id: string) =>
  new Instrument({ id, kind: 'equity', base: id, quote: 'USD', tickSize: 0.01, lotSize: 1 });

class Recorder extends Strategy<object> {
  seen: string[] = [];
  timers: number[] = [];
  constructor(id = 'rec') {
    super({}, id);
  }
  override onStart(): void {
    this.ctx.setTimer('hourly', { intervalUs: DAY / 2, startAt: DAY * 10 });
  }
  override onBar(bar: Bar): void {
    this.seen.push(`${bar.instrumentId}@${bar.ts / DAY}`);
  }
  override onTimer(ev: TimerEvent): void {
    this.timers.push(ev.ts / DAY);
  }
}

class Thrower extends Strategy<object> {
  calls = 0;
  constructor() {
    super({}, 'thrower');
  }
  override onBar(): void {
    this.calls++;
    this.ctx.buy({ type: 'limit', price: 1, quantity: 1 });
    if (this.calls === 2) throw new Error('boom');
  }
}

describe('BacktestEngine', () => {
  it('merges instruments by timestamp with a stable tie-break and fires timers between bars', () => {
    const e = new BacktestEngine({ cash: 1000 });
    e.addInstrument(eq('A'), mk('A', [1, 2, 3]));
    e.addInstrument(eq('B'), mk('B', [5, 6], DAY / 2));
    const r1 = new Recorder();
    e.addStrategy(r1);
    const r = e.run();
    expect(r1.seen).toEqual(['A@10', 'B@10.5', 'A@11', 'B@11.5', 'A@12']);
    expect(r.ts.length).toBe(5);
    expect(r1.timers).toEqual([10, 10.5, 11, 11.5, 12]);
  });

  it('stops a strategy that throws, cancels its orders, and lets the others go on', () => {
    const e = new BacktestEngine({ cash: 1000 });
    e.addInstrument(eq('A'), mk('A', [10, 11, 12, 13]));
    const bad = new Thrower();
    const good = new Recorder('good');
    e.addStrategy(bad).addStrategy(good);
    const r = e.run();
    expect(bad.calls).toBe(2);
    expect(good.seen).toHaveLength(4);
    expect(r.kernel.failed.get('thrower')?.message).toBe('boom');
    expect(r.kernel.execution.openOrders({ strategyId: 'thrower' })).toHaveLength(0);
    expect(r.orders.filter((o) => o.strategyId === 'thrower').map((o) => o.reason)).toContain(
      'canceled: strategy thrower failed in onBar',
    );
  });

  it('keeps the ledger exact over 100,000 random fills: cash change = Σ notionals + Σ fees', () => {
    const rnd = new Random(77);
    const n = 100_000;
    const closes = Array.from({ length: 200 }, () => Math.round(rnd.uniform(50, 150) * 100) / 100);
    const inst = new Instrument({
      id: 'R',
      kind: 'spot',
      base: 'R',
      quote: 'USD',
      tickSize: 0.01,
      lotSize: 0.001,
      takerFee: 0.00075,
    });
    class Churn extends Strategy<object> {
      constructor() {
        super({}, 'churn');
      }
      override onBar(): void {
        for (let k = 0; k < n / 200; k++)
          this.ctx.submit({
            side: rnd.next() < 0.5 ? 'buy' : 'sell',
            quantity: Math.round(rnd.uniform(0.2, 3) * 1000) / 1000,
          });
      }
    }
    const e = new BacktestEngine({ cash: 1_000_000, fill: 'close', finalize: 'none' });
    e.addInstrument(inst, mk('R', closes)).addStrategy(new Churn());
    const r = e.run();
    // At least the strategy's fills (the risk engine may add its own stop-loss or take-profit fills).
    expect(r.fills.length).toBeGreaterThanOrEqual(n);
    const ledger = r.kernel.portfolio.ledger;
    let notional = 0;
    let fees = 0;
    for (const f of r.fills) {
      notional += ledger.toUnits('USD', (f.side === 'buy' ? -1 : 1) * f.quantity * f.price);
      fees += ledger.toUnits('USD', -f.fee);
    }
    const change = ledger.balanceUnits('USD') - ledger.toUnits('USD', 1_000_000);
    expect(change).toBe(notional + fees);
    // Equity = cash + position at the last close, to the cent.
    const pos = r.kernel.portfolio.position('R')!;
    expect(r.equity[r.equity.length - 1]).toBeCloseTo(
      ledger.balance('USD') + pos.quantity * closes[closes.length - 1]!,
      6,
    );
  });
});

describe("record: 'trades'", () => {
  it('gives the same trades, equity and statistics as a full record, without orders, fills or ledger entries', async () => {
    const { readCsvBars } = await import('../data/csv-bars.js');
    const { defaultInstrument } = await import('../model/index.js');
    const { SmaCross } = await import('../strategies/sma-cross.js');
    const { series } = readCsvBars('test/fixtures/backtesting_py/GOOG.csv');
    const run = (record: 'full' | 'trades') => {
      const e = new BacktestEngine({ cash: 10_000, commission: 0.002, record });
      e.addInstrument(defaultInstrument('GOOG'), series).addStrategy(
        new SmaCross({ fast: 10, slow: 20, short: true }),
      );
      return e.run();
    };
    const full = run('full');
    const lean = run('trades');
    expect(lean.stats).toEqual(full.stats);
    expect(Array.from(lean.equity)).toEqual(Array.from(full.equity));
    expect(lean.trades).toEqual(full.trades);
    expect(full.orders.length).toBeGreaterThan(100);
    expect(lean.orders).toHaveLength(0);
    expect(lean.fills).toHaveLength(0);
    expect(lean.kernel.portfolio.ledger.entryCount).toBe(1); // only the initial deposit
    expect(() => new BacktestEngine({ record: 'some' as 'full' })).toThrowError(/record/);
  });
});
