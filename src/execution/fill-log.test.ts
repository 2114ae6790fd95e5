import { describe, expect, it } from 'vitest';
import { Random } from '../core/random.js';
import { type Bar, BarSeries, type Fill, Instrument, instrumentId } from '../model/index.js';
import { BacktestEngine } from '../engine/backtest.js';
import { Strategy } from '../strategy/strategy.js';

const MIN = 60_000_000;
const inst = new Instrument({ id: 'X', kind: 'equity', base: 'X', quote: 'USD', tickSize: 0.01, lotSize: 1 });

function walk(n: number, seed: number): BarSeries {
  const r = new Random(seed);
  let p = 100;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.max(1, Math.round((p + r.normal(0, 0.5)) * 100) / 100);
    rows.push({ ts: MIN * (1 + i), open: o, high: Math.max(o, p), low: Math.min(o, p), close: p });
  }
  return BarSeries.fromRows(instrumentId('X'), rows);
}

/** Buys on even bars, sells on odd ones: one fill per bar after the first. */
class PingPong extends Strategy<object> {
  constructor(id = 'pp') {
    super({}, id);
  }
  override onBar(bar: Bar): void {
    if (bar.index % 2 === 0) this.ctx.buy({ quantity: 3 });
    else if (this.ctx.position().quantity > 0) this.ctx.sell({ quantity: 3 });
  }
}

class Listener extends PingPong {
  readonly got: Fill[] = [];
  constructor() {
    super('listener');
  }
  override onFill(f: Fill): void {
    this.got.push(f);
  }
}

const run = (s: Strategy<object>, bars = walk(1_000, 3)) =>
  new BacktestEngine({ cash: 1_000_000, commission: 0.001 }).addInstrument(inst, bars).addStrategy(s).run();

describe('fills kept column-wise', () => {
  it('builds, past the first growth of its columns, the fills the portfolio booked', () => {
    const r = run(new PingPong());
    expect(r.fills.length).toBeGreaterThan(900);
    expect(r.fills.length).toBe(r.kernel.portfolio.fillCount);
    // Every fill matches its order, and the fees and realized P&L add up to the account's.
    const orders = new Map(r.orders.map((o) => [o.id as string, o]));
    let fees = 0;
    let realized = 0;
    for (const f of r.fills) {
      const o = orders.get(f.orderId)!;
      expect([f.side, f.instrumentId, f.strategyId, f.liquidity]).toEqual([o.side, 'X', 'pp', 'taker']);
      expect(f.fee).toBeCloseTo(f.quantity * f.price * 0.001, 9);
      fees += f.fee;
      realized += f.realizedPnl;
    }
    expect(fees).toBeCloseTo(r.kernel.portfolio.totalFees, 6);
    expect(realized).toBeCloseTo(r.kernel.portfolio.position('X')!.realizedPnl, 6);
    // Fill ids are the ledger's references, in order.
    expect(r.fills.slice(0, 3).map((f) => f.id)).toEqual(['F-1', 'F-2', 'F-3']);
    expect(r.kernel.portfolio.ledger.entry(1).ref).toBe('F-1');
  });

  it('gives a listener the same objects the result holds, and the same fills as without a listener', () => {
    const listener = new Listener();
    const a = run(listener);
    const b = run(new PingPong());
    expect(listener.got.length).toBe(a.fills.length);
    for (let i = 0; i < a.fills.length; i++) expect(a.fills[i]).toBe(listener.got[i]);
    const strip = (fs: readonly Fill[]) => fs.map(({ strategyId: _s, ...f }) => f);
    expect(strip(a.fills)).toEqual(strip(b.fills));
  });

  it('keeps none with record: trades, and still books every fill', () => {
    const e = new BacktestEngine({ cash: 1_000_000, commission: 0.001, record: 'trades' });
    const r = e.addInstrument(inst, walk(500, 4)).addStrategy(new PingPong()).run();
    expect(r.fills).toEqual([]);
    expect(r.kernel.portfolio.fillCount).toBeGreaterThan(400);
    expect(r.trades.length).toBeGreaterThan(200);
  });
});
