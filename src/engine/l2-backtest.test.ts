import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../book/index.js';
import { syntheticL2 } from '../../bench/l2-synthetic.js';
import { StreamSynchronizer } from '../data/synchronizer.js';
import { ConstantLatency, LogNormalLatency } from '../execution/l2/latency.js';
import { ProbabilisticQueueModel } from '../execution/l2/queue.js';
import {
  ASK,
  BID,
  F_LAST,
  F_SNAPSHOT,
  Instrument,
  MarketEventColumns,
  type QuoteTick,
  type TradeTick,
  instrumentId,
} from '../model/index.js';
import { MarketMaker } from '../strategies/market-maker.js';
import { Strategy } from '../strategy/strategy.js';
import { type L2BacktestConfig, L2BacktestEngine } from './l2-backtest.js';

const ID = instrumentId('BTCUSDT.SIM');
const inst = new Instrument({
  id: ID,
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.5,
  lotSize: 1,
  makerFee: -0.0001,
  takerFee: 0.0005,
});
const H = 3_600_000_000;
const DAY0 = Date.UTC(2024, 0, 2) * 1000;
const merge = StreamSynchronizer.ofColumns;

function engine(config: L2BacktestConfig = {}): L2BacktestEngine {
  return new L2BacktestEngine(config, { merge });
}

/** A book 99/101 with one message of two deltas, then a trade. */
function tinyStream(t0 = DAY0 + H): MarketEventColumns {
  const c = new MarketEventColumns(ID);
  c.addDelta(t0, t0 + 300, 1, BID, 99, 5, 0);
  c.addDelta(t0, t0 + 300, 1, ASK, 101, 5, F_LAST);
  c.addTrade(t0 + 10, t0 + 310, 101, 1, 1, 77);
  c.addDelta(t0 + 20, t0 + 320, 2, ASK, 101, 4, F_LAST);
  return c;
}

class Recorder extends Strategy<object> {
  readonly seen: string[] = [];
  constructor() {
    super({}, 'rec');
  }
  override onBook(b: OrderBook): void {
    this.seen.push(`book@${this.ctx.now()} ${b.bestBidPrice}/${b.bestAskPrice}x${b.bestAskSize}`);
  }
  override onTrade(t: TradeTick): void {
    this.seen.push(`trade@${this.ctx.now()} ${t.size}@${t.price} aggr ${t.aggressor} id ${t.tradeId}`);
  }
}

describe('L2BacktestEngine', () => {
  it('shows strategies the book after each complete message and every trade', () => {
    const e = engine().addInstrument(inst, tinyStream(1_000));
    const s = new Recorder();
    e.addStrategy(s);
    const r = e.run();
    expect(r.events).toBe(4);
    expect(s.seen).toEqual(['book@1000 99/101x5', 'trade@1010 1@101 aggr 1 id 77', 'book@1020 99/101x4']);
  });

  it('delivers quotes to onQuote and rebuilds the book from a snapshot sent as clear + deltas', () => {
    const c = new MarketEventColumns(ID, 8, { quotes: true });
    c.addDelta(1_000, 1_000, 1, BID, 99, 5, 0);
    c.addDelta(1_000, 1_000, 1, ASK, 101, 5, F_LAST);
    c.addQuote(1_005, 1_006, 99, 5, 101, 5);
    c.addClear(2_000, 2_000, 10);
    c.addDelta(2_000, 2_000, 10, BID, 98, 1, F_SNAPSHOT);
    c.addDelta(2_000, 2_000, 10, ASK, 102, 2, F_SNAPSHOT | F_LAST);
    class Q extends Recorder {
      override onQuote(q: QuoteTick): void {
        this.seen.push(
          `quote@${this.ctx.now()} ${q.bidPrice}x${q.bidSize}/${q.askPrice}x${q.askSize} recv ${q.tsRecv}`,
        );
      }
    }
    const s = new Q();
    const r = engine().addInstrument(inst, c).addStrategy(s).run();
    expect(s.seen).toEqual(['book@1000 99/101x5', 'quote@1005 99x5/101x5 recv 1006', 'book@2000 98/102x2']);
    expect(r.venue.books[0]!.bids.n).toBe(1);
  });

  it('subscribes only the hooks a strategy overrides', () => {
    const e = engine().addInstrument(inst, tinyStream(1_000));
    e.addStrategy(new MarketMaker({ size: 1 }));
    e.run();
    const bus = e.kernel.bus;
    expect(bus.topic(`data.book.${ID}`).handlers.length).toBe(1);
    expect(bus.topic(`data.trades.${ID}`).handlers.length).toBe(0);
  });

  it('with market-data latency, strategies see each event that much later, on their own book', () => {
    const e = engine({
      latency: () => ({
        entry: new ConstantLatency(0),
        response: new ConstantLatency(0),
        marketData: new ConstantLatency(500),
      }),
    });
    e.addInstrument(inst, tinyStream(1_000));
    const s = new Recorder();
    e.addStrategy(s);
    e.run();
    expect(s.seen).toEqual(['book@1500 99/101x5', 'trade@1510 1@101 aggr 1 id 77', 'book@1520 99/101x4']);
  });

  it('replaying by receive time shows events at their local receive time', () => {
    const e = engine({ replayBy: 'receive' }).addInstrument(inst, tinyStream(1_000));
    const s = new Recorder();
    e.addStrategy(s);
    e.run();
    expect(s.seen).toEqual(['book@1300 99/101x5', 'trade@1310 1@101 aggr 1 id 77', 'book@1320 99/101x4']);
  });

  it('books funding at 08:00 and 16:00 UTC with the right sign for a long and a short', () => {
    const run = (side: 'buy' | 'sell') => {
      const c = new MarketEventColumns(ID);
      const t0 = DAY0 + H; // 01:00 UTC
      c.addDelta(t0, t0, 1, BID, 99.5, 10, 0);
      c.addDelta(t0, t0, 1, ASK, 100.5, 10, F_LAST);
      c.addFundingRate(t0 + 1, t0 + 1, 0.0001);
      c.addMarkPrice(t0 + 2, t0 + 2, 100);
      c.addMarkPrice(DAY0 + 12 * H, DAY0 + 12 * H, 110);
      c.addDelta(DAY0 + 17 * H, DAY0 + 17 * H, 2, BID, 99, 1, F_LAST);
      class Taker extends Strategy<object> {
        done = false;
        override onBook(): void {
          if (!this.done) this.ctx.submit({ side, quantity: 2 });
          this.done = true;
        }
      }
      const e = engine({ cash: 10_000 }).addInstrument(inst, c);
      e.addStrategy(new Taker({}, 't'));
      return e.run();
    };
    const long = run('buy');
    // Long 2 at 08:00 (mark 100) and 16:00 (mark 110), rate +0.01%: pays 0.02 then 0.022.
    expect(long.fundingPayments.map((p) => [p.ts - DAY0, p.quantity, p.markPrice, p.amount])).toEqual([
      [8 * H, 2, 100, -0.02],
      [16 * H, 2, 110, expect.closeTo(-0.022, 12)],
    ]);
    expect(long.funding).toBeCloseTo(-0.042, 12);
    expect(
      long.kernel.portfolio.ledger.entries
        .filter((x) => x.kind === 'funding')
        .map((x) => [x.ts - DAY0, x.units]),
    ).toEqual([
      [8 * H, -2_000_000],
      [16 * H, -2_200_000],
    ]);
    const short = run('sell');
    expect(short.fundingPayments.map((p) => p.amount)).toEqual([0.02, expect.closeTo(0.022, 12)]);
    // Fees are kept apart from funding: one taker fill of 2 at 100.5 (or 99.5) at 5 bps.
    expect(long.fees).toBeCloseTo(2 * 100.5 * 0.0005, 12);
    expect(short.fees).toBeCloseTo(2 * 99.5 * 0.0005, 12);
  });

  it('is deterministic for a seed: random latency, probabilistic queue, market maker', () => {
    const data = syntheticL2(ID, 400, 11);
    const run = (seed: number) => {
      const e = engine({
        seed,
        latency: (rnd) => ({
          entry: new LogNormalLatency(rnd, 2_000, 0.5),
          response: new LogNormalLatency(rnd, 2_000, 0.5),
          marketData: new LogNormalLatency(rnd, 1_000, 0.3),
        }),
        queue: new ProbabilisticQueueModel('power', 3),
      });
      e.addInstrument(inst, data.deltas, data.trades).addStrategy(
        new MarketMaker({ size: 1, maxPosition: 3 }),
      );
      const r = e.run();
      return JSON.stringify({
        fills: r.fills.map((f) => [f.ts, f.side, f.quantity, f.price, f.liquidity]),
        equity: r.equity,
        late: r.venue.lateCancels,
      });
    };
    const a = run(7);
    expect(JSON.parse(a).fills.length).toBeGreaterThan(10);
    expect(run(7)).toBe(a);
    expect(run(8)).not.toBe(a);
  });
});
