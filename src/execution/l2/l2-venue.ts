import { BookWalk, DeltaStatus, type DeltaStatusCode, OrderBook } from '../../book/index.js';
import type { Clock } from '../../core/index.js';
import {
  ASK,
  BID,
  type BookSideCode,
  F_LAST,
  type Instrument,
  type Liquidity,
  type Order,
  type UnixMicros,
  invalid,
  roundTo,
} from '../../model/index.js';
import type { ExecutionClient, ExecutionReports, OrderChanges } from '../ports.js';
import { ZERO_LATENCY, type VenueLatency } from './latency.js';
import type { SquareRootImpact } from './impact.js';
import { type QueueModel, RiskAverseQueueModel } from './queue.js';
import { DONE, RESTING, RestingOrders, SimOrder } from './resting-orders.js';
import { type OrderMessage, type VenueReport, Wire } from './wire.js';

export interface MakerFillRecord {
  readonly orderId: string;
  readonly ts: UnixMicros;
  readonly quantity: number;
  readonly price: number;
  readonly queueAtArrival: number;
  /** Joined behind more than `toxicQueueAhead`: a fill that likely came because price ran through the level. */
  readonly likelyToxic: boolean;
}

export interface L2VenueOptions {
  readonly venue?: string;
  readonly clock: Clock;
  readonly latency?: VenueLatency;
  readonly queue?: QueueModel;
  /**
   * Take what our market and marketable orders fill out of the replayed book, until the market next
   * updates those levels (default true); otherwise a strategy could take the same liquidity twice.
   */
  readonly consumeLiquidity?: boolean;
  /** Permanent impact of our aggressive orders (off by default). */
  readonly impact?: SquareRootImpact;
  /** Queue ahead (instrument units) beyond which a maker fill is flagged likely toxic (default 10). */
  readonly toxicQueueAhead?: number;
}

/**
 * A simulated L2 venue. It keeps the exchange-side book of each instrument from replayed deltas and
 * matches our orders against it with price-time priority:
 * - Orders and cancels travel to the venue with the entry latency and act on the book as it is when
 *   they ARRIVE; acks and fills travel back with the response latency. A cancel that arrives after the
 *   order filled loses (the fill is already on its way).
 * - Market and marketable limit orders walk the book level by level (one taker fill per level); what
 *   the visible book cannot fill is canceled for IOC/market, rests for GTC. FOK fills whole or not at all.
 *   Post-only orders that would take liquidity are rejected.
 * - A resting limit joins the queue behind the visible size at its price; the queue model moves it
 *   forward with trades (and, in the probabilistic model, cancellations). It fills when trades reach it,
 *   when a trade prints through its price (up to that trade's size, which would have hit us first), or
 *   when the opposite side of the book moves through its price.
 */
export class L2Venue implements ExecutionClient {
  readonly venue: string;
  readonly books: OrderBook[] = [];
  readonly instruments: Instrument[] = [];
  readonly queueModel: QueueModel;
  readonly latency: VenueLatency;
  private readonly clock: Clock;
  private readonly consume: boolean;
  private reports: ExecutionReports = undefined!;
  private readonly index = new Map<string, number>();
  private readonly sims = new Map<string, SimOrder>();
  private readonly resting: RestingOrders[] = [];
  private readonly inbound = new Wire<OrderMessage>();
  private readonly outbound = new Wire<VenueReport>();
  private readonly walkResult = new BookWalk();
  private readonly impact: SquareRootImpact | undefined;
  private readonly toxicQueueAhead: number;
  /**
   * Per instrument: how far our own trades have moved the market (permanent impact), added to every
   * replayed price. 0 without an impact model.
   */
  readonly priceOffset: number[] = [];
  private takePx = new Float64Array(16);
  private takeQty = new Float64Array(16);
  /** Cancels and modifies that arrived after their order was done (they lost the race). */
  lateCancels = 0;
  /**
   * Every maker fill with the visible quantity that was ahead of its order when it joined the queue:
   * fills from deep in a queue tend to be the adverse ones (the level only cleared because price moved).
   */
  readonly makerFillLog: MakerFillRecord[] = [];
  /** Counts messages put on either wire: the engine's event loop re-reads the wires only when it moved. */
  wireSends = 0;
  makerFills = 0;
  takerFills = 0;

  constructor(opts: L2VenueOptions) {
    this.venue = opts.venue ?? 'SIM';
    this.clock = opts.clock;
    this.latency = opts.latency ?? ZERO_LATENCY;
    this.queueModel = opts.queue ?? new RiskAverseQueueModel();
    this.consume = opts.consumeLiquidity ?? true;
    this.impact = opts.impact;
    this.toxicQueueAhead = opts.toxicQueueAhead ?? 10;
    if (!(this.toxicQueueAhead >= 0))
      throw invalid('toxicQueueAhead', this.toxicQueueAhead, 'must be a quantity >= 0');
  }

  bind(reports: ExecutionReports): void {
    this.reports = reports;
  }

  addInstrument(inst: Instrument, book: OrderBook = new OrderBook(inst.id)): number {
    if (this.index.has(inst.id)) throw invalid('instrument.id', inst.id, 'is already on this venue');
    const i = this.instruments.length;
    this.instruments.push(inst);
    this.books.push(book);
    this.priceOffset.push(0);
    this.resting.push(
      new RestingOrders(this.queueModel, inst.lotSize, (sim, q, price, ts) =>
        this.fill(sim, q, price, 'maker', ts),
      ),
    );
    this.index.set(inst.id, i);
    return i;
  }

  instrumentIndex(id: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw invalid('order.instrumentId', id, `is not traded on venue ${this.venue}`);
    return i;
  }

  restingOrders(inst = 0): readonly Order[] {
    return this.resting[inst]!.orders().map((s) => s.order);
  }

  /** Visible quantity ahead of a resting order at the venue (NaN when it is not resting). */
  queueAhead(order: Order): number {
    const s = this.sims.get(order.id);
    return s && s.state === RESTING ? s.queue.ahead : Number.NaN;
  }

  // ---- the strategy side: messages go on the wire ----

  submit(order: Order): void {
    const sim = new SimOrder(order, this.instrumentIndex(order.instrumentId));
    this.sims.set(order.id, sim);
    this.send('submit', order, undefined);
  }

  cancel(order: Order): void {
    if (this.sims.has(order.id)) this.send('cancel', order, undefined);
  }

  modify(order: Order, changes: OrderChanges): void {
    if (changes.triggerPrice !== undefined)
      throw invalid('changes.triggerPrice', changes.triggerPrice, 'the L2 venue has no stop orders');
    if (changes.price !== undefined && !(changes.price > 0))
      throw invalid('changes.price', changes.price, 'must be a positive price');
    if (changes.quantity !== undefined && !(changes.quantity > order.filledQuantity))
      throw invalid('changes.quantity', changes.quantity, `must exceed the filled ${order.filledQuantity}`);
    if (this.sims.has(order.id)) this.send('modify', order, changes);
  }

  private send(kind: OrderMessage['kind'], order: Order, changes: OrderChanges | undefined): void {
    this.wireSends++;
    this.inbound.send({ kind, at: 0, order, changes }, this.clock.now(), this.latency.entry.sample());
  }

  /** When the next order message reaches the venue (Infinity when none is in flight). */
  get nextArrivalAt(): number {
    return this.inbound.nextAt;
  }

  /** When the next report reaches the strategy (Infinity when none is in flight). */
  get nextReportAt(): number {
    return this.outbound.nextAt;
  }

  get inFlight(): number {
    return this.inbound.inFlight + this.outbound.inFlight;
  }

  /** Acts on every order message that has reached the venue by `t`, in arrival order. */
  processArrivals(t: UnixMicros): void {
    for (let m = this.inbound.take(t); m; m = this.inbound.take(t)) {
      const sim = this.sims.get(m.order.id);
      if (!sim) {
        // The order finished and its last report was delivered while this message was on the wire.
        this.lateCancels++;
        continue;
      }
      if (m.kind === 'submit') this.arrive(sim, m.at);
      else if (m.kind === 'cancel') this.arriveCancel(sim, m.at);
      else this.arriveModify(sim, m.changes!, m.at);
    }
  }

  /** Hands every report that has reached the strategy by `t` to the kernel. */
  deliverReports(t: UnixMicros): void {
    const r = this.reports;
    for (let m = this.outbound.take(t); m; m = this.outbound.take(t)) {
      const o = m.order;
      switch (m.kind) {
        case 'accepted':
          r.accepted(o, m.ts);
          break;
        case 'rejected':
          r.rejected(o, m.reason, m.ts);
          break;
        case 'canceled':
          r.canceled(o, m.reason, m.ts);
          break;
        case 'filled':
          if (m.liquidity === 'maker')
            this.makerFillLog.push({
              orderId: o.id,
              ts: m.ts,
              quantity: m.quantity,
              price: m.price,
              queueAtArrival: m.queueAtArrival,
              likelyToxic: m.queueAtArrival > this.toxicQueueAhead,
            });
          r.filled(o, m.quantity, m.price, m.liquidity, m.ts);
          break;
        case 'updated':
          if (m.changes!.price !== undefined) o.price = m.changes!.price;
          if (m.changes!.quantity !== undefined) o.quantity = m.changes!.quantity;
          r.updated(o, m.ts);
      }
      if (o.isTerminal) this.sims.delete(o.id);
    }
  }

  private report(
    kind: VenueReport['kind'],
    sim: SimOrder,
    ts: UnixMicros,
    reason = '',
    quantity = 0,
    price = 0,
    liquidity: Liquidity = 'taker',
    changes?: OrderChanges,
  ): void {
    const msg: VenueReport = {
      kind,
      at: 0,
      ts,
      order: sim.order,
      quantity,
      price,
      liquidity,
      reason,
      changes,
      queueAtArrival: sim.queue.aheadAtArrival,
    };
    this.wireSends++;
    this.outbound.send(msg, ts, this.latency.response.sample());
  }

  // ---- arrivals: act on the book as it is now ----

  private arrive(sim: SimOrder, t: UnixMicros): void {
    const o = sim.order;
    const book = this.books[sim.inst]!;
    if (o.type !== 'market' && o.type !== 'limit') {
      sim.state = DONE;
      this.report('rejected', sim, t, `the L2 venue takes market and limit orders, not ${o.type}`);
      return;
    }
    const opp: BookSideCode = sim.isBuy ? ASK : BID;
    const best = sim.isBuy ? book.bestAskPrice : book.bestBidPrice;
    const limit = sim.price;
    const crosses = o.type === 'market' || (sim.isBuy ? limit >= best : limit <= best);
    if (o.postOnly && crosses) {
      sim.state = DONE;
      this.report('rejected', sim, t, `post-only ${o.side} at ${limit} would take liquidity at ${best}`);
      return;
    }
    if (
      o.timeInForce === 'FOK' &&
      (!crosses || book.walk(opp, sim.quantity, this.walkResult, limit).filled < sim.quantity - 1e-12)
    ) {
      sim.state = DONE;
      this.report('accepted', sim, t);
      const avail = crosses ? this.walkResult.filled : 0;
      this.report(
        'canceled',
        sim,
        t,
        `FOK: only ${avail} available at ${Number.isNaN(limit) ? 'any price' : limit} or better, ${sim.quantity} asked`,
      );
      return;
    }
    this.report('accepted', sim, t);
    if (crosses) this.take(sim, opp, t);
    const left = sim.quantity - sim.filled;
    if (left <= 0) {
      sim.state = DONE;
      return;
    }
    if (o.type === 'market' || o.timeInForce === 'IOC' || o.timeInForce === 'FOK') {
      sim.state = DONE;
      this.report(
        'canceled',
        sim,
        t,
        `${o.type === 'market' ? 'market' : o.timeInForce}: ${left} left unfilled, the visible book had no more`,
      );
      return;
    }
    this.resting[sim.inst]!.add(sim, book);
  }

  /** Walks the opposite side up to the order's limit: one taker fill per level. */
  private take(sim: SimOrder, opp: BookSideCode, t: UnixMicros): void {
    const touch = this.books[sim.inst]!.ladder(opp).priceAt(0);
    const inst = this.instruments[sim.inst]!;
    const ladder = this.books[sim.inst]!.ladder(opp);
    const limitKey = Number.isNaN(sim.price) ? -Infinity : sim.price * ladder.dir;
    let left = sim.quantity - sim.filled;
    let n = 0;
    for (let i = ladder.n - 1; i >= 0 && left > 0; i--) {
      if (ladder.keys[i]! < limitKey) break;
      const q = inst.roundQuantity(Math.min(left, ladder.sizes[i]!));
      if (!(q > 0)) break;
      if (n === this.takePx.length) this.growTake();
      this.takePx[n] = ladder.keys[i]! * ladder.dir;
      this.takeQty[n++] = q;
      left = roundTo(left - q, inst.sizeDecimals);
    }
    for (let k = 0; k < n; k++) {
      const p = this.takePx[k]!;
      const q = this.takeQty[k]!;
      if (this.consume) ladder.set(p, roundTo(ladder.sizeAt(p) - q, inst.sizeDecimals));
      this.fill(sim, q, p, 'taker', t);
    }
    if (this.impact && n > 0) {
      let taken = 0;
      for (let k = 0; k < n; k++) taken += this.takeQty[k]!;
      const ticks = this.impact.tickShift(taken, touch, inst.tickSize);
      if (ticks > 0) this.shiftBook(sim.inst, (sim.isBuy ? ticks : -ticks) * inst.tickSize);
    }
  }

  /** Moves the whole simulated book of an instrument by `delta` (whole ticks) and remembers it for later data. */
  private shiftBook(ii: number, delta: number): void {
    const inst = this.instruments[ii]!;
    const book = this.books[ii]!;
    for (const l of [book.bids, book.asks]) {
      // A uniform shift keeps the order; re-snap each price so it stays an exact tick multiple.
      for (let i = 0; i < l.n; i++) l.keys[i] = inst.roundPrice(l.keys[i]! * l.dir + delta) * l.dir;
    }
    this.priceOffset[ii] = inst.roundPrice(this.priceOffset[ii]! + delta);
  }

  /** A replayed price as our simulated market shows it (shifted by our permanent impact). */
  private shifted(ii: number, price: number): number {
    const off = this.priceOffset[ii]!;
    return off === 0 ? price : this.instruments[ii]!.roundPrice(price + off);
  }

  private arriveCancel(sim: SimOrder, t: UnixMicros): void {
    if (sim.state !== RESTING) {
      this.lateCancels++;
      return;
    }
    this.unrest(sim);
    sim.state = DONE;
    this.report('canceled', sim, t, 'canceled by strategy');
  }

  /** Price changes and size increases lose queue priority (venues re-queue them); decreases keep it. */
  private arriveModify(sim: SimOrder, ch: OrderChanges, t: UnixMicros): void {
    if (sim.state !== RESTING) {
      this.lateCancels++;
      return;
    }
    const inst = this.instruments[sim.inst]!;
    const book = this.books[sim.inst]!;
    const price = ch.price !== undefined ? inst.roundPrice(ch.price) : sim.price;
    const qty = ch.quantity !== undefined ? inst.roundQuantity(ch.quantity) : sim.quantity;
    const best = sim.isBuy ? book.bestAskPrice : book.bestBidPrice;
    if (sim.isBuy ? price >= best : price <= best) {
      this.unrest(sim);
      sim.state = DONE;
      this.report('canceled', sim, t, `modify to ${price} would cross the book at ${best}; send a new order`);
      return;
    }
    if (qty <= sim.filled) throw invalid('changes.quantity', qty, `must exceed the filled ${sim.filled}`);
    const requeue = price !== sim.price || qty > sim.quantity;
    sim.price = price;
    sim.quantity = qty;
    if (requeue) this.resting[sim.inst]!.requeue(sim, book);
    this.report('updated', sim, t, '', 0, 0, 'maker', { price, quantity: qty });
  }

  private unrest(sim: SimOrder): void {
    this.resting[sim.inst]!.remove(sim);
  }

  private fill(sim: SimOrder, q: number, price: number, liq: Liquidity, t: UnixMicros): void {
    const inst = this.instruments[sim.inst]!;
    sim.filled = roundTo(sim.filled + q, inst.sizeDecimals);
    if (liq === 'maker') this.makerFills++;
    else this.takerFills++;
    this.report('filled', sim, t, '', q, price, liq);
    if (sim.filled >= sim.quantity) {
      if (sim.state === RESTING) this.unrest(sim);
      sim.state = DONE;
    }
  }

  // ---- market data, in exchange time ----

  /** Applies one replayed delta to the venue's book and moves our queue positions at that level. */
  applyDelta(
    inst: number,
    side: BookSideCode,
    price: number,
    size: number,
    sequence: number,
    ts: UnixMicros,
    flags: number,
  ): DeltaStatusCode {
    const book = this.books[inst]!;
    if (this.priceOffset[inst] !== 0) price = this.shifted(inst, price);
    const st = book.applyDelta(side, price, size, sequence, ts);
    const resting = this.resting[inst]!;
    if (resting.count === 0 || st === DeltaStatus.Stale) return st;
    resting.onDepth(side, price, book.prevSize, size);
    // Mid-message the book can be transiently crossed; only a complete message may sweep our orders.
    if ((flags & F_LAST) !== 0) resting.sweepCrossed(book, ts);
    return st;
  }

  /** A replayed trade: it advances queues at its price and fills orders it reaches or prints through. */
  onTrade(inst: number, price: number, size: number, aggressor: number, ts: UnixMicros): void {
    const resting = this.resting[inst]!;
    if (resting.count > 0) resting.onTrade(this.shifted(inst, price), size, aggressor, ts);
  }

  /** Empties a book (the start of a snapshot). Resting orders keep their queue positions until deltas move them. */
  clearBook(inst: number): void {
    this.books[inst]!.clear();
  }

  private growTake(): void {
    const px = new Float64Array(this.takePx.length * 2);
    px.set(this.takePx);
    const q = new Float64Array(this.takeQty.length * 2);
    q.set(this.takeQty);
    this.takePx = px;
    this.takeQty = q;
  }
}
