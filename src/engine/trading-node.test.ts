import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../core/index.js';
import { TradingNode } from './trading-node.js';
import type { TradingNodeConfigInput } from './trading-node-config.js';
import { type BarFeed, type FeedBar, MemoryStateStore } from './trading-node-ports.js';

/** A feed the test pushes bars into (a sine-ish price path so the SMA cross trades). */
class PushFeed implements BarFeed {
  readonly kind = 'replay' as const;
  readonly description = 'test bars';
  readonly finished = false;
  sink: ((b: FeedBar) => void) | undefined;
  resume: ReadonlyMap<string, number> = new Map();
  start(sink: (b: FeedBar) => void, resume: ReadonlyMap<string, number>): void {
    this.sink = sink;
    this.resume = resume;
  }
  stop(): void {
    this.sink = undefined;
  }
}

const config: TradingNodeConfigInput = {
  account: { cash: 100_000 },
  instruments: [{ id: 'AAA', tickSize: 0.01, lotSize: 1 }],
  strategies: [{ id: 'sma', name: 'sma-cross', params: { fast: 3, slow: 8, fraction: 0.2 } }],
  risk: { stopLoss: null, takeProfit: null },
};

function price(i: number): number {
  return 100 + 10 * Math.sin(i / 6);
}

async function run(store: MemoryStateStore, clock: SimulatedClock, from: number, to: number) {
  const feed = new PushFeed();
  const node = new TradingNode(config, { clock, feed, store });
  await node.start();
  const start = feed.resume.get('AAA') ?? 0;
  expect(start).toBe(from);
  for (let i = start; i < to; i++) {
    clock.advanceTo(clock.now() + 60_000_000);
    const p = price(i);
    feed.sink!({
      instrumentId: 'AAA',
      sourceTs: i * 60_000_000,
      sourceIndex: i,
      open: p,
      high: p + 0.5,
      low: p - 0.5,
      close: p,
      volume: 1000,
    });
  }
  return node;
}

describe('TradingNode', () => {
  it('runs bars through strategy, risk, venue and portfolio, recording orders, fills and snapshots', async () => {
    const store = new MemoryStateStore();
    const node = await run(store, new SimulatedClock(1_700_000_000_000_000), 0, 120);
    expect(node.counters.bars).toBe(120);
    expect(node.fills().length).toBeGreaterThan(2);
    const kinds = new Set(store.records.map((r) => r.type));
    expect([...kinds].sort()).toEqual(['fill', 'order', 'snapshot']);
    expect(node.history().length).toBe(120);
    const last = node.history().at(-1)!;
    expect(last.cursors).toEqual({ AAA: 120 });
    expect(node.candlesOf('AAA')).toHaveLength(120);
    expect(() => node.candlesOf('ZZZ')).toThrow(/instrumentId/);
  });

  it('recovers fills, positions, cash and the replay cursor from its store after a restart', async () => {
    const store = new MemoryStateStore();
    const clock = new SimulatedClock(1_700_000_000_000_000);
    const a = await run(store, clock, 0, 95);
    const cashBefore = a.kernel.portfolio.cash();
    const posBefore = a.positions()[0]!.quantity;
    const fillsBefore = a.fills().map((f) => f.id);
    // "crash": no stop(); a new node on the same store
    const b = await run(store, clock, 95, 95);
    expect(b.kernel.portfolio.cash()).toBe(cashBefore);
    expect(b.positions()[0]!.quantity).toBe(posBefore);
    expect(b.fills().map((f) => f.id)).toEqual(fillsBefore);
    expect(b.recoveredFrom!.fills).toBe(fillsBefore.length);
    // the ledger reconciles: cash = start − Σ signed notional − Σ fees
    let cash = 100_000;
    for (const f of b.fills()) cash -= (f.side === 'buy' ? 1 : -1) * f.quantity * f.price + f.fee;
    expect(b.kernel.portfolio.cash()).toBeCloseTo(cash, 6);
    // new ids continue after the recovered ones
    const o = b.submitOrder({ instrumentId: 'AAA', side: 'buy', type: 'limit', price: 50, quantity: 10 });
    expect(a.order(o.id)).toBeUndefined();
    expect(b.order(o.id)!.status).toBe('accepted');
  });

  it('takes manual orders through risk (a denial is a record, not a throw) and cancels them', async () => {
    const node = await run(new MemoryStateStore(), new SimulatedClock(1_700_000_000_000_000), 0, 10);
    const big = node.submitOrder({ instrumentId: 'AAA', side: 'buy', type: 'market', quantity: 100_000 });
    expect(big.status).toBe('denied');
    expect(big.reason).toMatch(/.+/);
    const lim = node.submitOrder({ instrumentId: 'AAA', side: 'buy', type: 'limit', price: 90, quantity: 5 });
    expect(node.orders({ status: 'open' }).map((o) => o.id)).toContain(lim.id);
    expect(node.cancelOrder(lim.id)!.status).toBe('canceled');
    expect(() => node.cancelOrder(lim.id)).toThrow(/cannot be canceled/);
    expect(() => node.submitOrder({ instrumentId: 'NOPE', side: 'buy', quantity: 1 })).toThrow(
      /instrumentId/,
    );
  });

  it('starts, stops and re-parameterizes strategies, and validates parameters', async () => {
    const node = await run(new MemoryStateStore(), new SimulatedClock(1_700_000_000_000_000), 0, 5);
    expect(node.strategy('sma')!.enabled).toBe(true);
    node.stopStrategy('sma');
    expect(node.strategy('sma')!.enabled).toBe(false);
    node.setStrategyParameters('sma', { fast: 4 });
    expect(node.strategy('sma')!.parameters).toMatchObject({ fast: 4, slow: 8 });
    expect(() => node.setStrategyParameters('sma', { fast: 50 })).toThrow(/fast/);
    expect(() => node.startStrategy('nope')).toThrow(/nope/);
  });

  it('rejects bad configuration naming the path and value', () => {
    const deps = { clock: new SimulatedClock(0), feed: new PushFeed(), store: new MemoryStateStore() };
    expect(() => new TradingNode({ ...config, account: { cash: -1 } }, deps)).toThrow(
      /node\.account\.cash.*-1/,
    );
    expect(() => new TradingNode({ ...config, strategies: [{ id: 's', name: 'nope' }] }, deps)).toThrow(
      /node\.strategies\.0/,
    );
    expect(() => new TradingNode({ ...config, risk: { maxPositionShare: 7 } }, deps)).toThrow(
      /node\.risk\.maxPositionShare/,
    );
  });
});
