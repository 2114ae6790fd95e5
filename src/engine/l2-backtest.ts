import { OrderBook } from '../book/index.js';
import { type Logger, MemoryLogger, type Random, SimulatedClock, type Topic, Topics } from '../core/index.js';
import {
  type FundingPayment,
  FundingSettlement,
  type FundingScheduleOptions,
} from '../execution/l2/funding.js';
import { ConstantLatency, type VenueLatency, ZERO_LATENCY } from '../execution/l2/latency.js';
import { L2Venue } from '../execution/l2/l2-venue.js';
import type { SquareRootImpact } from '../execution/l2/impact.js';
import type { QueueModel } from '../execution/l2/queue.js';
import {
  type MarkoutOptions,
  type MarkoutReport,
  MidPath,
  computeMarkouts,
} from '../execution/l2/markouts.js';
import {
  ASK,
  BID,
  F_LAST,
  type Fill,
  type Instrument,
  type MarketEventColumns,
  MarketEventKind,
  type Order,
  type Position,
  QuoteTick,
  TickerError,
  TradeTick,
  type UnixMicros,
  invalid,
} from '../model/index.js';
import type { AccountType } from '../portfolio/portfolio.js';
import type { Strategy } from '../strategy/strategy.js';
import { Kernel } from './kernel.js';

export interface L2BacktestConfig {
  readonly cash?: number;
  readonly currency?: string;
  /** Default 'margin' (perpetuals and futures: only P&L, fees and funding move cash). */
  readonly accountType?: AccountType;
  /** Commission rate for every fill; default: the instrument's maker/taker fees. */
  readonly commission?: number;
  readonly seed?: number;
  readonly logger?: Logger;
  /** Builds the venue's latency legs from a seeded generator (forked from the run's seed). Default: none. */
  readonly latency?: (random: Random) => VenueLatency;
  readonly queue?: QueueModel;
  /**
   * 'exchange' (default): replay in venue time; strategies see market data after the market-data latency.
   * 'receive': replay in local receive time, which already contains the feed's real latency; the venue
   * and the strategies then see each event at its receive time and the market-data latency is not added.
   */
  readonly replayBy?: 'exchange' | 'receive';
  /** Funding schedule for perpetuals (default 8-hourly from 00:00 UTC); false turns funding off. */
  readonly funding?: FundingScheduleOptions | false;
  readonly consumeLiquidity?: boolean;
  /** Permanent square-root impact of our aggressive orders (off by default). */
  readonly impact?: SquareRootImpact;
  /** Markouts of our fills (mid move at +1 s, +10 s, +60 s by default); false turns them off. */
  readonly markouts?: MarkoutOptions | false;
}

/** A cursor the merged order points into: the event is `columns` row `row`. */
export interface MergedCursor {
  readonly columns: MarketEventColumns;
  readonly row: number;
  readonly ts: number;
  readonly tsRecv: number;
}

/**
 * The port through which the engine gets one deterministic order of events from several streams
 * (data/synchronizer.ts implements it: `StreamSynchronizer.ofColumns`). `next()` returns the stream of
 * the next event, -1 at the end.
 */
export interface MergedStreams {
  readonly cursors: readonly MergedCursor[];
  next(): number;
}

export interface L2BacktestDeps {
  readonly merge: (
    streams: readonly MarketEventColumns[],
    opts: { by: 'exchange' | 'receive' },
  ) => MergedStreams;
}

export type { FundingPayment };

export interface L2BacktestResult {
  readonly events: number;
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly fundingPayments: readonly FundingPayment[];
  readonly fees: number;
  readonly funding: number;
  readonly equity: number;
  readonly kernel: Kernel;
  readonly venue: L2Venue;
  /** Adverse selection of our fills, per fill and per strategy (undefined when turned off). */
  readonly markouts: MarkoutReport | undefined;
  /** The venue's mid price after each complete book message, per instrument (in addInstrument order). */
  readonly midPaths: readonly MidPath[];
}

/**
 * Replays L2 market data (book deltas, trades, quotes, funding, marks) from several streams, merged by
 * the StreamSynchronizer, through the venue's book and our orders' queues, then to strategies through
 * the kernel's bus (onBook after each complete venue message, onTrade, onQuote).
 *
 * One event order, at equal times: the market event, then order messages arriving at the venue, then
 * reports reaching the strategy, then delayed market data reaching the strategy, then timers (funding).
 * With market-data latency the strategies see a book of their own that lags the venue's by that
 * latency (FIFO: a feed never reorders); without it they read the venue's book itself.
 */
export class L2BacktestEngine {
  readonly kernel: Kernel;
  readonly clock = new SimulatedClock(0);
  readonly venue: L2Venue;
  readonly config: L2BacktestConfig;
  private readonly deps: L2BacktestDeps;
  private readonly latency: VenueLatency;
  private readonly streams: MarketEventColumns[] = [];
  private readonly streamInst: number[] = [];
  private readonly insts: Instrument[] = [];
  private readonly funding: FundingSettlement;
  // Per instrument, resolved once before the loop.
  private books: OrderBook[] = [];
  private bookTopics: Topic<OrderBook>[] = [];
  private tradeTopics: Topic<TradeTick>[] = [];
  private quoteTopics: Topic<QuoteTick>[] = [];
  private trades: TradeTick[] = [];
  private quotes: QuoteTick[] = [];
  private positions: Position[] = [];
  private midPaths: MidPath[] = [];
  // Market data on its way to the strategies (delayed mode): a ring of (stream, row, arrival).
  private ringStream = new Int32Array(1024);
  private ringRow = new Int32Array(1024);
  private ringAt = new Float64Array(1024);
  private ringHead = 0;
  private ringLen = 0;
  private lastLocalAt = -Infinity;

  constructor(config: L2BacktestConfig, deps: L2BacktestDeps) {
    this.config = config;
    this.deps = deps;
    const cash = config.cash ?? 100_000;
    if (!(cash > 0)) throw invalid('cash', cash, 'must be a positive amount');
    const logger = config.logger ?? new MemoryLogger(() => this.clock.now());
    this.kernel = new Kernel(
      {
        portfolio: {
          baseCurrency: config.currency ?? 'USDT',
          startingCash: cash,
          accountType: config.accountType ?? 'margin',
        },
        commission: config.commission !== undefined ? { rate: config.commission } : {},
        ...(config.seed !== undefined ? { seed: config.seed } : {}),
      },
      { clock: this.clock, logger },
    );
    const by = config.replayBy ?? 'exchange';
    if (by !== 'exchange' && by !== 'receive')
      throw invalid('replayBy', by, "must be 'exchange' or 'receive'");
    this.latency = config.latency ? config.latency(this.kernel.random.fork()) : ZERO_LATENCY;
    this.venue = new L2Venue({
      clock: this.clock,
      latency: this.latency,
      ...(config.queue ? { queue: config.queue } : {}),
      ...(config.consumeLiquidity !== undefined ? { consumeLiquidity: config.consumeLiquidity } : {}),
      ...(config.impact ? { impact: config.impact } : {}),
    });
    this.kernel.addExecutionClient(this.venue, true);
    const portfolio = this.kernel.portfolio;
    this.funding = new FundingSettlement(portfolio, (ii) => this.venue.books[ii]!.mid);
  }

  /** Adds an instrument with its streams (each stream's events must be of this instrument, in time order). */
  addInstrument(inst: Instrument, ...streams: MarketEventColumns[]): this {
    for (const s of streams)
      if (s.instrumentId !== inst.id)
        throw invalid('stream.instrumentId', s.instrumentId, `must be ${inst.id}`);
    this.kernel.addInstrument(inst);
    const ii = this.venue.addInstrument(inst);
    this.insts.push(inst);
    for (const s of streams) {
      this.streams.push(s);
      this.streamInst.push(ii);
    }
    const f = this.config.funding;
    this.funding.add(inst, f === false ? undefined : (f ?? {}));
    return this;
  }

  addStrategy(strategy: Strategy<object>, instrumentIds?: readonly string[]): this {
    this.kernel.addStrategy(strategy, instrumentIds);
    return this;
  }

  run(): L2BacktestResult {
    const k = this.kernel;
    if (this.streams.length === 0)
      throw new TickerError('NO_DATA', 'add an instrument with at least one stream before run()');
    const byRecv = this.config.replayBy === 'receive';
    const md = this.latency.marketData;
    const shared = byRecv || (md instanceof ConstantLatency && md.us === 0);
    this.prepare(shared);
    const sync = this.deps.merge(this.streams, { by: byRecv ? 'receive' : 'exchange' });
    const cursors = sync.cursors;
    const venue = this.venue;
    const clock = this.clock;
    let j = sync.next();
    let evTs = j < 0 ? Infinity : byRecv ? cursors[j]!.tsRecv : cursors[j]!.ts;
    if (j >= 0) {
      clock.set(evTs);
      this.funding.schedule(clock, evTs);
    }
    k.start();
    let events = 0;
    for (;;) {
      const tArr = venue.nextArrivalAt;
      const tRep = venue.nextReportAt;
      const tLoc = this.ringLen > 0 ? this.ringAt[this.ringHead]! : Infinity;
      let t = evTs;
      if (tArr < t) t = tArr;
      if (tRep < t) t = tRep;
      if (tLoc < t) t = tLoc;
      if (t === Infinity) break;
      const tTimer = clock.nextTimerAt();
      if (tTimer < t) {
        clock.advanceTo(tTimer);
        continue;
      }
      clock.set(t);
      if (evTs === t) {
        // A burst of market events up to the next order message, report, delayed event or timer, with
        // no re-reading of the wires unless an event put something on them (most events do not).
        const limit = tArr < tRep ? (tArr < tLoc ? tArr : tLoc) : tRep < tLoc ? tRep : tLoc;
        const sends = venue.wireSends;
        const ring = this.ringLen;
        do {
          clock.set(evTs);
          this.onMarketEvent(cursors[j]!, j, evTs, shared);
          k.step = ++events;
          j = sync.next();
          evTs = j < 0 ? Infinity : byRecv ? cursors[j]!.tsRecv : cursors[j]!.ts;
        } while (
          j >= 0 &&
          evTs <= limit &&
          venue.wireSends === sends &&
          this.ringLen === ring &&
          evTs <= clock.nextTimerAt()
        );
      } else if (tArr === t) venue.processArrivals(t);
      else if (tRep === t) venue.deliverReports(t);
      else this.onLocalEvent();
    }
    k.stop();
    const p = k.portfolio;
    const fills = k.execution.fills;
    const mo = this.config.markouts;
    const pathOf = new Map(this.insts.map((inst, ii) => [inst.id as string, this.midPaths[ii]!]));
    return {
      events,
      // Built on first read (orders are kept in chunks; most runs read only statistics and trades).
      get orders() {
        return k.execution.orders;
      },
      fills: k.execution.fills,
      fundingPayments: this.funding.payments,
      fees: p.totalFees,
      funding: p.totalFunding,
      equity: p.equity(),
      kernel: k,
      venue,
      markouts:
        mo === false ? undefined : computeMarkouts(fills, (id) => pathOf.get(id), clock.now(), mo ?? {}),
      midPaths: this.midPaths,
    };
  }

  private prepare(shared: boolean): void {
    const bus = this.kernel.bus;
    this.books = shared ? this.venue.books : this.insts.map((i) => new OrderBook(i.id));
    this.bookTopics = this.insts.map((i) => bus.topic<OrderBook>(Topics.book(i.id)));
    this.tradeTopics = this.insts.map((i) => bus.topic<TradeTick>(Topics.trades(i.id)));
    this.quoteTopics = this.insts.map((i) => bus.topic<QuoteTick>(Topics.quotes(i.id)));
    this.trades = this.insts.map((i) => new TradeTick(i.id));
    this.quotes = this.insts.map((i) => new QuoteTick(i.id));
    this.positions = this.insts.map((i) => this.kernel.portfolio.position(i.id)!);
    this.midPaths = this.insts.map(() => new MidPath());
  }

  /** One event at the venue, in venue time `t`. */
  private onMarketEvent(c: MergedCursor, stream: number, t: UnixMicros, shared: boolean): void {
    const cols = c.columns;
    const r = c.row;
    const ii = this.streamInst[stream]!;
    const kind = cols.kind[r]!;
    if (kind === MarketEventKind.BookDelta) {
      const flags = cols.flags[r]!;
      this.venue.applyDelta(
        ii,
        cols.side[r]! > 0 ? BID : ASK,
        cols.price[r]!,
        cols.size[r]!,
        cols.sequence[r]!,
        t,
        flags,
      );
      if ((flags & F_LAST) !== 0) {
        const mid = this.venue.books[ii]!.mid;
        if (mid > 0) {
          this.positions[ii]!.lastPrice = mid;
          this.midPaths[ii]!.push(t, mid);
        }
      }
    } else if (kind === MarketEventKind.Trade) {
      this.venue.onTrade(ii, cols.price[r]!, cols.size[r]!, cols.side[r]!, t);
      this.positions[ii]!.lastPrice = cols.price[r]! + this.venue.priceOffset[ii]!;
    } else if (kind === MarketEventKind.BookClear) this.venue.clearBook(ii);
    else if (kind === MarketEventKind.FundingRate) this.funding.onRate(ii, cols.price[r]!, t);
    else if (kind === MarketEventKind.MarkPrice) this.funding.onMark(ii, cols.price[r]!);
    if (shared) this.publish(cols, r, ii, kind);
    else this.delay(stream, r, t + this.latency.marketData.sample());
  }

  /** Hands one event to the strategies (reading the shared or the local book). */
  private publish(cols: MarketEventColumns, r: number, ii: number, kind: number): void {
    if (kind === MarketEventKind.BookDelta) {
      if ((cols.flags[r]! & F_LAST) !== 0) {
        const topic = this.bookTopics[ii]!;
        if (topic.handlers.length > 0) topic.publish(this.books[ii]!);
      }
    } else if (kind === MarketEventKind.Trade) {
      const topic = this.tradeTopics[ii]!;
      if (topic.handlers.length > 0) {
        const trade = cols.readTrade(r, this.trades[ii]!);
        // With permanent impact the strategies see the market as our trades left it.
        const off = this.venue.priceOffset[ii]!;
        if (off !== 0) trade.price = this.insts[ii]!.roundPrice(trade.price + off);
        topic.publish(trade);
      }
    } else if (kind === MarketEventKind.Quote) {
      const topic = this.quoteTopics[ii]!;
      if (topic.handlers.length > 0) topic.publish(cols.readQuote(r, this.quotes[ii]!));
    }
  }

  private delay(stream: number, row: number, at: UnixMicros): void {
    // The feed is one ordered connection: an event never reaches us before the one sent before it.
    const t = at > this.lastLocalAt ? at : this.lastLocalAt;
    this.lastLocalAt = t;
    if (this.ringLen === this.ringAt.length) this.growRing();
    const i = (this.ringHead + this.ringLen) % this.ringAt.length;
    this.ringStream[i] = stream;
    this.ringRow[i] = row;
    this.ringAt[i] = t;
    this.ringLen++;
  }

  /** Delayed mode: the next event reaches the strategies' own book. */
  private onLocalEvent(): void {
    const h = this.ringHead;
    const stream = this.ringStream[h]!;
    const r = this.ringRow[h]!;
    this.ringHead = (h + 1) % this.ringAt.length;
    this.ringLen--;
    const cols = this.streams[stream]!;
    const ii = this.streamInst[stream]!;
    const kind = cols.kind[r]!;
    const book = this.books[ii]!;
    if (kind === MarketEventKind.BookDelta)
      book.applyDelta(
        cols.side[r]! > 0 ? BID : ASK,
        cols.price[r]!,
        cols.size[r]!,
        cols.sequence[r]!,
        cols.ts[r]!,
      );
    else if (kind === MarketEventKind.BookClear) book.clear();
    this.publish(cols, r, ii, kind);
  }

  private growRing(): void {
    const cap = this.ringAt.length;
    const s = new Int32Array(cap * 2);
    const r = new Int32Array(cap * 2);
    const a = new Float64Array(cap * 2);
    for (let k = 0; k < this.ringLen; k++) {
      const i = (this.ringHead + k) % cap;
      s[k] = this.ringStream[i]!;
      r[k] = this.ringRow[i]!;
      a[k] = this.ringAt[i]!;
    }
    this.ringStream = s;
    this.ringRow = r;
    this.ringAt = a;
    this.ringHead = 0;
  }
}
