import type { IdCounter, IdGenerator, Logger, MessageBus, Topic } from '../core/index.js';
import { Topics } from '../core/index.js';
import {
  ChunkedList,
  type Fill,
  type Instrument,
  type Liquidity,
  type Order,
  type OrderDenied,
  type OrderEvent,
  type OrderId,
  type Position,
  type UnixMicros,
  invalid,
} from '../model/index.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { RiskEngine, RiskView } from '../risk/index.js';
import { CommissionModel } from './commission.js';
import { FillLog, fillOf } from './fill-log.js';
import type { ExecutionClient, ExecutionReports, OrderChanges } from './ports.js';

interface StrategyTopics {
  readonly events: Topic<OrderEvent>;
  readonly fills: Topic<Fill>;
}

export interface ExecutionEngineDeps {
  readonly bus: MessageBus;
  readonly ids: IdGenerator;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  readonly commission: CommissionModel;
  readonly logger: Logger;
  /**
   * Instruments and the current step, from the kernel itself: an object with methods, not closures. A
   * closure made per kernel is a new function every backtest, and V8 stops inlining a call site once it
   * has seen several ("many closures"): every fill and every risk check then paid a real call.
   */
  readonly host: ExecutionHost;
}

/** What the execution engine reads from the kernel that owns it. */
export interface ExecutionHost {
  instrument(id: string): Instrument;
  /** The current step of the run (bar index), recorded on trades. */
  readonly step: number;
}

/**
 * What the risk rules see of the engine: one class with direct methods (the same shape in every engine,
 * so the standard rules' calls into it are monomorphic and inlined; per-engine closures were a call each).
 */
class EngineRiskView implements RiskView {
  private readonly host: ExecutionHost;
  private readonly portfolio: Portfolio;
  private readonly engine: ExecutionEngine;
  constructor(host: ExecutionHost, portfolio: Portfolio, engine: ExecutionEngine) {
    this.host = host;
    this.portfolio = portfolio;
    this.engine = engine;
  }
  instrument(id: string): Instrument {
    return this.host.instrument(id);
  }
  position(id: string): Position | undefined {
    return this.portfolio.position(id);
  }
  equity(): number {
    return this.portfolio.equity();
  }
  lastPrice(id: string): number {
    const p = this.portfolio.position(id);
    return p === undefined ? Number.NaN : p.lastPrice;
  }
  openOrderCount(strategyId?: string): number {
    return this.engine.openOrderCount(strategyId);
  }
  positions(): readonly Position[] {
    return this.portfolio.positions();
  }
}

/**
 * Routes orders: risk check → venue, and turns venue reports into order state, fills, portfolio updates
 * and bus events. The same engine runs in backtest, paper and live; only the ExecutionClient differs.
 */
export class ExecutionEngine implements ExecutionReports {
  private readonly deps: ExecutionEngineDeps;
  private readonly clients = new Map<string, ExecutionClient>();
  private defaultClient: ExecutionClient | undefined = undefined;
  /** Every order in submission order (chunks: measured much cheaper than a Map or one growing array). */
  private readonly orderList = new ChunkedList<Order>();
  private readonly byId = new Map<string, Order>();
  private indexed = 0;
  /** Open orders: few at a time, so an array beats a Set. */
  private readonly open: Order[] = [];
  /** Open orders per strategy, kept as counts so the open-orders risk rule is O(1) per order. */
  private readonly openByStrategy = new Map<string, { n: number }>();
  private lastOpenSid = '';
  private lastOpen: { n: number } | undefined = undefined;
  private readonly fillIds: IdCounter;
  private readonly fillLog: FillLog;
  private lastClientInst = '';
  private lastClient: ExecutionClient | undefined = undefined;
  private readonly strategyTopics = new Map<string, StrategyTopics>();
  private lastSid = '';
  private lastTopics: StrategyTopics | undefined = undefined;
  /** Keep every fill (default); a run that reads only trades and equity turns this off. */
  keepFills = true;
  /**
   * Keep every order in `orders` (default). Research runs that need only trades and equity turn this
   * off: retaining tens of thousands of orders is what the garbage collector spends its time on.
   */
  keepOrders = true;
  readonly view: RiskView;

  constructor(deps: ExecutionEngineDeps) {
    this.deps = deps;
    const fillIds = deps.ids.counter('F');
    this.fillIds = fillIds;
    // Fill ids are numbers on the hot path; the log and the ledger spell them only when read.
    const idOf = (n: number): string => fillIds.format(n);
    this.fillLog = new FillLog(idOf);
    deps.portfolio.ledger.spellRef = idOf;
    this.view = new EngineRiskView(deps.host, deps.portfolio, this);
  }

  /** Open orders of the account, or of one strategy (kept as counts: O(1)). */
  openOrderCount(strategyId?: string): number {
    return strategyId ? this.openCount(strategyId).n : this.open.length;
  }

  register(client: ExecutionClient, isDefault = false): void {
    this.lastClientInst = '';
    this.clients.set(client.venue, client);
    if (isDefault || !this.defaultClient) this.defaultClient = client;
    client.bind(this);
  }

  private clientFor(order: Order): ExecutionClient {
    // Consecutive orders are nearly always for the same instrument (and so the same venue).
    if (order.instrumentId === this.lastClientInst) return this.lastClient!;
    const inst = this.deps.host.instrument(order.instrumentId);
    const c = this.clients.get(inst.venue) ?? this.defaultClient;
    if (!c)
      throw invalid(
        'order.instrumentId',
        order.instrumentId,
        'no execution client is registered for its venue',
      );
    this.lastClientInst = order.instrumentId;
    this.lastClient = c;
    return c;
  }

  openOrders(filter?: { strategyId?: string; instrumentId?: string }): Order[] {
    const out: Order[] = [];
    for (const o of this.open)
      if (
        (!filter?.strategyId || o.strategyId === filter.strategyId) &&
        (!filter?.instrumentId || o.instrumentId === filter.instrumentId)
      )
        out.push(o);
    return out;
  }

  /** Every order in submission order (one array, built on first read and extended on later ones). */
  get orders(): readonly Order[] {
    return this.orderList.toArray();
  }

  /** How many orders there are (no array built). */
  get orderCount(): number {
    return this.orderList.length;
  }

  /** The order with this id, if any (the index is built lazily). */
  order(id: OrderId | string): Order | undefined {
    for (; this.indexed < this.orderList.length; this.indexed++) {
      const o = this.orderList.get(this.indexed);
      this.byId.set(o.id, o);
    }
    return this.byId.get(id);
  }

  /** Records an order created outside submit() (engine-managed closes). */
  track(order: Order): void {
    if (this.keepOrders) this.orderList.push(order);
    this.addOpen(order);
  }

  private addOpen(order: Order): void {
    this.open.push(order);
    this.openCount(order.strategyId).n++;
  }

  /** The open-order counter of a strategy (the last one is kept: orders in a row share a strategy). */
  private openCount(sid: string): { n: number } {
    if (sid === this.lastOpenSid) return this.lastOpen!;
    let c = this.openByStrategy.get(sid);
    if (!c) this.openByStrategy.set(sid, (c = { n: 0 }));
    this.lastOpenSid = sid;
    this.lastOpen = c;
    return c;
  }

  private close(order: Order): void {
    const i = this.open.indexOf(order);
    if (i >= 0) {
      this.openCount(order.strategyId).n--;
      const last = this.open.pop()!;
      if (last !== order) this.open[i] = last;
    }
  }

  /** Risk-checks the order and sends it to its venue; a denial is an event, not an exception. */
  submit(order: Order, ts: UnixMicros): Order {
    if (this.keepOrders) this.orderList.push(order);
    const denial = this.deps.risk.check(order, this.view);
    if (denial) {
      order.transition('denied', ts, denial.message);
      const d: OrderDenied = { order, ts, ...denial };
      this.deps.logger.warn('order denied', {
        orderId: order.id,
        rule: denial.rule,
        message: denial.message,
      });
      this.deps.bus.publish(Topics.orderDenied(order.strategyId), d);
      this.emit('denied', order, ts, denial.message);
      return order;
    }
    order.transition('submitted', ts);
    this.addOpen(order);
    this.emit('submitted', order, ts);
    this.clientFor(order).submit(order);
    return order;
  }

  /** Cancels an open order; `reason` is recorded on it (e.g. who canceled it by hand). */
  cancel(order: Order, reason?: string): void {
    if (!order.isOpen) return;
    this.clientFor(order).cancel(order, reason);
  }

  modify(order: Order, changes: OrderChanges): void {
    if (!order.isOpen)
      throw invalid('order.status', order.status, `order ${order.id} is not open and cannot be modified`);
    this.clientFor(order).modify(order, changes);
  }

  // ---- ExecutionReports ----

  accepted(order: Order, ts: UnixMicros): void {
    order.transition('accepted', ts);
    this.emit('accepted', order, ts);
  }

  rejected(order: Order, reason: string, ts: UnixMicros): void {
    order.transition('rejected', ts, reason);
    this.close(order);
    this.emit('rejected', order, ts, reason);
  }

  triggered(order: Order, ts: UnixMicros): void {
    order.transition('triggered', ts);
    this.emit('triggered', order, ts);
  }

  canceled(order: Order, reason: string, ts: UnixMicros): void {
    order.transition('canceled', ts, reason);
    this.close(order);
    this.emit('canceled', order, ts, reason);
  }

  expired(order: Order, ts: UnixMicros): void {
    order.transition('expired', ts);
    this.close(order);
    this.emit('expired', order, ts);
  }

  updated(order: Order, ts: UnixMicros): void {
    order.updatedAt = ts;
    this.emit('updated', order, ts);
  }

  filled(order: Order, quantity: number, price: number, liquidity: Liquidity, ts: UnixMicros): void {
    const inst = this.deps.host.instrument(order.instrumentId);
    const fee = this.deps.commission.fee(inst, quantity, price, liquidity);
    const no = this.fillIds.take();
    order.applyFill(quantity, price, ts, inst.sizeDecimals);
    if (order.isTerminal) this.close(order);
    const realized = this.deps.portfolio.book(
      order.instrumentId,
      order.side === 'buy' ? quantity : -quantity,
      price,
      fee,
      inst.quote,
      ts,
      no,
      this.deps.host.step,
    );
    // Hot path: the fill is a row of the log; an object is built only when someone listens for it.
    let fill: Fill | undefined;
    if (this.keepFills) {
      const i = this.fillLog.push(order, no, quantity, price, fee, inst.quote, liquidity, ts, realized);
      if (this.listening(order.strategyId)) fill = this.fillLog.get(i);
    } else if (this.listening(order.strategyId))
      fill = fillOf(
        order,
        this.fillIds.format(no),
        quantity,
        price,
        fee,
        inst.quote,
        liquidity,
        ts,
        realized,
      );
    this.emit(order.status, order, ts, undefined, fill);
    if (fill !== undefined) {
      const ft = this.topicsOf(order.strategyId).fills;
      if (ft.handlers.length) ft.publish(fill);
    }
  }

  /** Every fill so far, in order (objects built on first read; see FillLog). */
  get fills(): readonly Fill[] {
    return this.fillLog.all();
  }

  /** Whether anyone subscribed to this strategy's order events or fills. */
  private listening(strategyId: string): boolean {
    const t = this.topicsOf(strategyId);
    return t.events.handlers.length > 0 || t.fills.handlers.length > 0;
  }

  private emit(kind: OrderEvent['kind'], order: Order, ts: UnixMicros, reason?: string, fill?: Fill): void {
    const t = this.topicsOf(order.strategyId).events;
    // Nobody listening: build no event object.
    if (t.handlers.length === 0) return;
    t.publish({ kind, order, ts, ...(reason !== undefined ? { reason } : {}), ...(fill ? { fill } : {}) });
  }

  /** A strategy's order-event and fill topics; the last pair is kept, since most events in a row share it. */
  private topicsOf(sid: string): StrategyTopics {
    if (sid === this.lastSid) return this.lastTopics!;
    let t = this.strategyTopics.get(sid);
    if (!t) {
      const bus = this.deps.bus;
      t = { events: bus.topic(Topics.orderEvents(sid)), fills: bus.topic(Topics.fills(sid)) };
      this.strategyTopics.set(sid, t);
    }
    this.lastSid = sid;
    this.lastTopics = t;
    return t;
  }
}
