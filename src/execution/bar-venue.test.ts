import { describe, expect, it } from 'vitest';
import { BacktestEngine, type BacktestConfig } from '../engine/backtest.js';
import { type Bar, BarSeries, type Fill, Instrument, instrumentId } from '../model/index.js';
import type { OrderRequest } from '../strategy/context.js';
import { Strategy } from '../strategy/strategy.js';

const DAY = 86_400_000_000;
const inst = new Instrument({
  id: 'T.SIM',
  kind: 'equity',
  base: 'T',
  quote: 'USD',
  tickSize: 0.01,
  lotSize: 1,
});

/** Submits the given orders on the given bar indexes and records fills. */
class Script extends Strategy<object> {
  fills: Fill[] = [];
  events: string[] = [];
  constructor(private readonly plan: Record<number, OrderRequest[]>) {
    super({}, 'script');
  }
  override onBar(bar: Bar): void {
    for (const r of this.plan[bar.index] ?? []) this.ctx.submit(r);
  }
  override onFill(f: Fill): void {
    this.fills.push(f);
  }
  override onOrderEvent(ev: { kind: string; reason?: string }): void {
    this.events.push(ev.kind + (ev.reason ? `:${ev.reason}` : ''));
  }
}

/** Bars as [open, high, low, close]. */
function run(
  ohlc: [number, number, number, number][],
  plan: Record<number, OrderRequest[]>,
  cfg: BacktestConfig = {},
) {
  const bars = BarSeries.fromRows(
    instrumentId('T.SIM'),
    ohlc.map(([open, high, low, close], i) => ({
      ts: 1_600_000_000_000_000 + i * DAY,
      open,
      high,
      low,
      close,
      volume: 1,
    })),
  );
  const s = new Script(plan);
  const e = new BacktestEngine({ cash: 100_000, commission: 0, finalize: 'none', ...cfg });
  e.addInstrument(inst, bars).addStrategy(s);
  const result = e.run();
  return { s, result };
}

const flat: [number, number, number, number][] = [
  [100, 101, 99, 100],
  [102, 105, 98, 104],
  [103, 104, 95, 96],
  [97, 99, 90, 91],
];

describe('BarVenue fill rules', () => {
  it('fills market orders at the next bar open, or at the signal bar close with fill=close', () => {
    const next = run(flat, { 0: [{ side: 'buy', quantity: 10 }] });
    expect(next.s.fills.map((f) => [f.price, f.quantity])).toEqual([[102, 10]]);
    const close = run(flat, { 0: [{ side: 'buy', quantity: 10 }] }, { fill: 'close' });
    expect(close.s.fills[0]!.price).toBe(100);
  });

  it('fills a buy limit at its price when the low reaches it, at the open when the open gapped below it', () => {
    const touched = run(flat, { 0: [{ side: 'buy', type: 'limit', price: 99, quantity: 1 }] });
    expect(touched.s.fills[0]!.price).toBe(99); // bar 1 low 98 ≤ 99, open 102 above
    const gap = run(flat, { 1: [{ side: 'buy', type: 'limit', price: 103.5, quantity: 1 }] });
    expect(gap.s.fills[0]!.price).toBe(103); // bar 2 opens at 103 < 103.5
    const never = run(flat, { 0: [{ side: 'buy', type: 'limit', price: 80, quantity: 1 }] });
    expect(never.s.fills).toHaveLength(0);
  });

  it('triggers stops on the bar range and fills a gap through the stop at the open', () => {
    const sellStop = run(flat, { 0: [{ side: 'sell', type: 'stop-market', triggerPrice: 97, quantity: 1 }] });
    expect(sellStop.s.fills[0]!.price).toBe(97); // bar 1 low 98 > 97: no; bar 2 low 95 ≤ 97, open 103 above → at 97
    expect(sellStop.s.fills[0]!.ts).toBe(1_600_000_000_000_000 + 2 * DAY);
    const gapped = run(flat, { 2: [{ side: 'sell', type: 'stop-market', triggerPrice: 98, quantity: 1 }] });
    expect(gapped.s.fills[0]!.price).toBe(97); // bar 3 opens at 97, already through 98
    const buyStop = run(flat, { 0: [{ side: 'buy', type: 'stop-market', triggerPrice: 104, quantity: 1 }] });
    expect(buyStop.s.fills[0]!.price).toBe(104);
  });

  it('follows the documented intrabar path for stop-limits: bearish bar O→H→L→C', () => {
    // Buy stop 104, limit 100 on bar 2 (open 103, high 104, low 95, close 96: bearish): after the high the
    // path visits the low 95 ≤ 100 → fills at the limit 100.
    const r = run(flat, {
      1: [{ side: 'buy', type: 'stop-limit', triggerPrice: 104, price: 100, quantity: 1 }],
    });
    expect(r.s.fills[0]!.price).toBe(100);
    expect(r.s.events).toContain('triggered');
    // Bullish bar O→L→H→C: bar 1 (102, 105, 98, 104) after the high only the close 104 remains: a buy
    // limit 100 does not fill in that bar.
    const b = run(
      [
        [100, 101, 99, 100],
        [102, 105, 98, 104],
        [110, 111, 109, 110],
      ],
      {
        0: [{ side: 'buy', type: 'stop-limit', triggerPrice: 103, price: 100, quantity: 1 }],
      },
    );
    expect(b.s.fills).toHaveLength(0);
    expect(b.s.events).toContain('triggered');
  });

  it('charges commission as a rate and a fixed amount per fill, and slippage in basis points on taker fills', () => {
    const r = run(
      flat,
      { 0: [{ side: 'buy', quantity: 10 }] },
      { commission: 0.001, commissionFixed: 1, slippageBps: 10 },
    );
    const f = r.s.fills[0]!;
    expect(f.price).toBe(102.11); // 102 × 1.001 = 102.102, rounded up to the tick against us
    expect(f.fee).toBeCloseTo(1 + 10 * 102.11 * 0.001, 10);
    expect(r.result.kernel.portfolio.cash()).toBeCloseTo(100_000 - 10 * 102.11 - f.fee, 8);
    // Limit fills are maker fills: no slippage.
    const l = run(flat, { 0: [{ side: 'buy', type: 'limit', price: 99, quantity: 1 }] }, { slippageBps: 10 });
    expect(l.s.fills[0]!.price).toBe(99);
  });

  it('cancels IOC orders that do not fill on their first bar, cancels crossing post-only, expires DAY orders', () => {
    const ioc = run(flat, {
      0: [{ side: 'buy', type: 'limit', price: 50, quantity: 1, timeInForce: 'IOC' }],
    });
    expect(ioc.s.events.some((e) => e.startsWith('canceled:IOC'))).toBe(true);
    const po = run(flat, { 0: [{ side: 'buy', type: 'limit', price: 103, quantity: 1, postOnly: true }] });
    expect(po.s.events.some((e) => e.startsWith('canceled:post-only'))).toBe(true);
    expect(po.s.fills).toHaveLength(0);
    const day = run(flat, {
      0: [{ side: 'buy', type: 'limit', price: 50, quantity: 1, timeInForce: 'DAY' }],
    });
    expect(day.s.events).toContain('expired');
  });

  it('realizes P&L through a position flip and books every fill in the ledger', () => {
    const r = run(flat, {
      0: [{ side: 'buy', quantity: 10 }],
      1: [{ side: 'sell', quantity: 25 }],
      2: [{ side: 'buy', quantity: 15 }],
    });
    // Buy 10 @ 102 (bar 1 open); sell 25 @ 103 (bar 2 open): +10, short 15 @ 103; buy 15 @ 97: +90.
    const pos = r.result.kernel.portfolio.position('T.SIM')!;
    expect(pos.quantity).toBe(0);
    expect(pos.realizedPnl).toBeCloseTo(100, 10);
    expect(r.result.kernel.portfolio.cash()).toBeCloseTo(100_100, 8);
    expect(r.result.trades.map((t) => [t.size, t.entryPrice, t.exitPrice])).toEqual([
      [10, 102, 103],
      [-15, 103, 97],
    ]);
  });

  it('denies an order below the minimum quantity as an event, not an exception', () => {
    const tiny = new Instrument({
      id: 'T.SIM',
      kind: 'equity',
      base: 'T',
      quote: 'USD',
      tickSize: 0.01,
      lotSize: 1,
      minQuantity: 5,
    });
    const bars = BarSeries.fromRows(
      instrumentId('T.SIM'),
      flat.map(([o, h, l, c], i) => ({ ts: i * DAY + DAY, open: o, high: h, low: l, close: c })),
    );
    const s = new Script({ 0: [{ side: 'buy', quantity: 2 }] });
    const e = new BacktestEngine({ cash: 1000 });
    e.addInstrument(tiny, bars).addStrategy(s);
    const r = e.run();
    expect(s.events[0]).toMatch(/^denied:quantity 2 is below the minimum 5/);
    expect(r.fills).toHaveLength(0);
  });
});
