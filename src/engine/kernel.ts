import {
  type Clock,
  type IdCounter,
  IdGenerator,
  type Logger,
  MessageBus,
  Random,
  Topics,
  silentLogger,
} from '../core/index.js';
import { CommissionModel } from '../execution/commission.js';
import { ExecutionEngine } from '../execution/execution-engine.js';
import type { ExecutionClient } from '../execution/ports.js';
import {
  type Bar,
  type Fill,
  type Instrument,
  type InstrumentId,
  Order,
  type OrderDenied,
  type OrderInit,
  type OrderEvent,
  type OrderSide,
  TickerError,
  clientOrderId,
  invalid,
  orderId,
  strategyId,
} from '../model/index.js';
import { Portfolio, type PortfolioOptions } from '../portfolio/portfolio.js';
import {
  RISK_STRATEGY_ID,
  type RiskActions,
  type RiskConfigInput,
  type RiskEngine,
  type RiskEvent,
  RiskMonitor,
  createRiskEngine,
} from '../risk/index.js';
import type { OrderRequest, SideLessRequest, Sizing, StrategyContext } from '../strategy/context.js';
import { SIGNALS_TOPIC, type Signal, type SignalInput, checkSignal } from '../strategy/signal.js';
import { Strategy } from '../strategy/strategy.js';
import type { OrderBook } from '../book/index.js';
import type { QuoteTick, TradeTick } from '../model/index.js';

export interface KernelConfig {
  readonly portfolio: PortfolioOptions;
  readonly commission?: { rate?: number; fixed?: number };
  readonly seed?: number;
  /** Risk limits (validated; defaults in risk/config.ts). Ignored when deps.risk is given. */
  readonly risk?: RiskConfigInput;
}

export interface KernelDeps {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** A prebuilt risk engine (its config, states and history are used by the RiskMonitor). */
  readonly risk?: RiskEngine;
}

/**
 * Hands bars to one strategy, catching what it throws. One method for every kernel, called with the
 * strategy's dispatch as `this` (Topic.selves): a closure made per kernel was a new function every
 * backtest, and the engines' bar loops, which inline the bus's call of it, ran slower in about half the
 * processes of the risk benchmark (docs/BENCHMARKS.md, "The risk overhead").
 */
class StrategyBars {
  private readonly kernel: Kernel;
  private readonly strategy: Strategy<object>;
  private readonly state: { failed: boolean };
  constructor(kernel: Kernel, strategy: Strategy<object>, state: { failed: boolean }) {
    this.kernel = kernel;
    this.strategy = strategy;
    this.state = state;
  }
  onBar(bar: Bar): void {
    if (this.state.failed) return;
    try {
      this.strategy.onBar(bar);
    } catch (e) {
      this.kernel.fail(this.strategy, e, 'onBar');
    }
  }
}

/** A sentinel for the instrument look-up cache: matches no real id. */
const NO_INSTRUMENT = { id: '\u0000' } as unknown as Instrument;

/**
 * The kernel: one clock, one bus, one portfolio, one risk engine and one execution engine, shared by all
 * strategies. Backtest, paper and live build the same kernel and differ only in the clock and the
 * execution client they pass (NautilusTrader's kernel/engine split).
 */
export class Kernel {
  readonly clock: Clock;
  readonly bus = new MessageBus();
  readonly ids = new IdGenerator();
  readonly random: Random;
  readonly logger: Logger;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  /** Circuit breakers and engine-managed exits; the engines call its onBar/onStep hooks. */
  readonly riskMonitor: RiskMonitor;
  readonly commission: CommissionModel;
  readonly execution: ExecutionEngine;
  readonly strategies: Strategy<object>[] = [];
  private readonly instrumentMap = new Map<string, Instrument>();
  private readonly instrumentList: Instrument[] = [];
  private lastInstrument: Instrument = NO_INSTRUMENT;
  /** The current step (bar index of the run's timeline). */
  step = 0;
  /** Strategies stopped after throwing, with the error. */
  readonly failed = new Map<string, Error>();
  private readonly states = new Map<string, { failed: boolean }>();

  constructor(config: KernelConfig, deps: KernelDeps) {
    this.clock = deps.clock;
    this.logger = deps.logger ?? silentLogger;
    this.random = new Random(config.seed ?? 42);
    this.portfolio = new Portfolio(config.portfolio);
    this.risk = deps.risk ?? createRiskEngine(config.risk);
    this.commission = new CommissionModel(config.commission);
    this.execution = new ExecutionEngine({
      bus: this.bus,
      ids: this.ids,
      portfolio: this.portfolio,
      risk: this.risk,
      commission: this.commission,
      logger: this.logger,
      host: this,
    });
    this.riskMonitor = new RiskMonitor({
      config: this.risk.config,
      states: this.risk.states,
      history: this.risk.history,
      actions: new KernelRiskActions(this),
      fills: this.portfolio,
      onEvent: (ev: RiskEvent) => {
        this.logger.warn(`risk: ${ev.message}`, {
          kind: ev.kind,
          step: ev.step,
          instrumentId: ev.instrumentId,
        });
        this.bus.publish(Topics.riskEvents(), ev);
      },
    });
  }

  addInstrument(inst: Instrument): void {
    if (this.instrumentMap.has(inst.id)) return;
    this.instrumentMap.set(inst.id, inst);
    this.instrumentList.push(inst);
    const pos = this.portfolio.register(inst);
    this.riskMonitor.register(inst.id, pos);
  }

  /** The kill switch: halts trading, cancels every order and flattens every position. */
  killSwitch(reason = 'kill switch'): void {
    this.riskMonitor.kill(reason);
  }

  instrument(id: string): Instrument {
    // Most look-ups in a row are for the same instrument: compare against the last hit first.
    if (id === this.lastInstrument.id) return this.lastInstrument;
    const inst = this.instrumentMap.get(id);
    if (!inst)
      throw invalid('instrumentId', id, `is not known; known: ${[...this.instrumentMap.keys()].join(', ')}`);
    this.lastInstrument = inst;
    return inst;
  }

  instruments(): readonly Instrument[] {
    return this.instrumentList;
  }

  /** The signed position of an instrument, 0 when there is none (venues clip reduce-only orders to it). */
  positionOf(instrumentId: string): number {
    return this.portfolio.position(instrumentId)?.quantity ?? 0;
  }

  /**
   * The quantity of an order sized as a fraction of available equity (equity less gross exposure) at its
   * fill price, with the taker fee and the fixed commission taken out, rounded to the lot size. The
   * simulated venues call it when such an order fills.
   */
  resolveFraction(order: Order, price: number): number {
    const inst = this.instrument(order.instrumentId);
    const frac = order.sizingFractionOrNaN;
    const available = Math.max(0, this.portfolio.equity() - this.portfolio.grossExposure());
    const perUnit =
      price * inst.multiplier * (1 + this.commission.rateFor(inst, 'taker')) + this.commission.fixed / frac;
    return inst.roundQuantity((available * frac) / perUnit);
  }

  addExecutionClient(client: ExecutionClient, isDefault = false): void {
    this.execution.register(client, isDefault);
  }

  /** Adds a strategy trading `instrumentIds` (default: every instrument) and wires its subscriptions. */
  addStrategy(strategy: Strategy<object>, instrumentIds?: readonly string[]): void {
    if (this.strategies.some((s) => s.id === strategy.id))
      throw invalid(
        'strategy.id',
        strategy.id,
        'is already used by another strategy; give each a distinct id',
      );
    const ids = instrumentIds ?? this.instrumentList.map((i) => i.id);
    const insts = ids.map((id) => this.instrument(id));
    strategy.ctx = new KernelStrategyContext(this, strategy, insts);
    this.strategies.push(strategy);
    const state = { failed: false };
    this.states.set(strategy.id, state);
    // A shared method with a per-strategy `this`, not a closure per kernel: see StrategyBars.
    const bars = new StrategyBars(this, strategy, state);
    for (const inst of insts)
      this.bus.subscribe<Bar>(Topics.bars(inst.id), StrategyBars.prototype.onBar, bars);
    // Only hooks the strategy overrides are subscribed, so unused events are never built or dispatched.
    const proto = Strategy.prototype;
    // Market data below the bar (L2 backtests, live feeds), under the same rule.
    const guarded =
      <T>(hook: string, call: (m: T) => void) =>
      (m: T): void => {
        if (state.failed) return;
        try {
          call(m);
        } catch (e) {
          this.fail(strategy, e, hook);
        }
      };
    if (strategy.onQuote !== proto.onQuote) {
      const h = guarded<QuoteTick>('onQuote', (q) => strategy.onQuote(q));
      for (const inst of insts) this.bus.subscribe(Topics.quotes(inst.id), h);
    }
    if (strategy.onTrade !== proto.onTrade) {
      const h = guarded<TradeTick>('onTrade', (t) => strategy.onTrade(t));
      for (const inst of insts) this.bus.subscribe(Topics.trades(inst.id), h);
    }
    if (strategy.onBook !== proto.onBook) {
      const h = guarded<OrderBook>('onBook', (b) => strategy.onBook(b));
      for (const inst of insts) this.bus.subscribe(Topics.book(inst.id), h);
    }
    if (strategy.onOrderEvent !== proto.onOrderEvent)
      this.bus.subscribe<OrderEvent>(Topics.orderEvents(strategy.id), (ev) => {
        if (state.failed) return;
        try {
          strategy.onOrderEvent(ev);
        } catch (e) {
          this.fail(strategy, e, 'onOrderEvent');
        }
      });
    if (strategy.onFill !== proto.onFill)
      this.bus.subscribe<Fill>(Topics.fills(strategy.id), (f) => {
        if (state.failed) return;
        try {
          strategy.onFill(f);
        } catch (e) {
          this.fail(strategy, e, 'onFill');
        }
      });
    if (strategy.onOrderDenied !== proto.onOrderDenied)
      this.bus.subscribe<OrderDenied>(Topics.orderDenied(strategy.id), (d) => {
        if (state.failed) return;
        try {
          strategy.onOrderDenied(d);
        } catch (e) {
          this.fail(strategy, e, 'onOrderDenied');
        }
      });
  }

  start(): void {
    for (const s of this.strategies) this.guard(s, 'onStart', () => s.onStart());
  }

  stop(): void {
    for (const s of this.strategies) this.guard(s, 'onStop', () => s.onStop());
  }

  private guard(s: Strategy<object>, hook: string, fn: () => void): void {
    if (this.states.get(s.id)?.failed) return;
    try {
      fn();
    } catch (e) {
      this.fail(s, e, hook);
    }
  }

  /** A strategy that throws is stopped and reported; the others go on. */
  fail(s: Strategy<object>, e: unknown, hook: string): void {
    const err = e instanceof Error ? e : new Error(String(e));
    this.failed.set(s.id, err);
    const st = this.states.get(s.id);
    if (st) st.failed = true;
    this.logger.error(`strategy ${s.id} threw in ${hook} and was stopped`, {
      error: err.message,
      stack: err.stack,
    });
    for (const o of this.execution.openOrders({ strategyId: s.id }))
      this.execution.cancel(o, `canceled: strategy ${s.id} failed in ${hook}`);
    this.bus.publish(Topics.strategyStatus(s.id), { status: 'failed', hook, error: err.message });
  }
}

/**
 * The function an order spells its id with. Made here, not in the context's constructor: a closure made
 * there would share the constructor's scope, which holds the context and so the whole kernel, and every
 * order (and `liveShapes.order` after the run) would keep the finished run alive.
 */
function spellerOf(ids: IdCounter): (n: number) => string {
  return (n) => ids.format(n);
}

class KernelStrategyContext implements StrategyContext {
  readonly log: Logger;
  readonly sizing: Sizing;
  private readonly k: Kernel;
  private readonly s: Strategy<object>;
  private readonly insts: readonly Instrument[];
  private readonly orderIds: IdCounter;
  /** The init object place() refills for every order (see there). */
  private readonly init: { -readonly [K in keyof OrderInit]: OrderInit[K] };

  constructor(k: Kernel, s: Strategy<object>, insts: readonly Instrument[]) {
    this.k = k;
    const orderIds = k.ids.counter('O');
    this.orderIds = orderIds;
    this.init = {
      id: undefined,
      idNumber: 0,
      spellId: spellerOf(orderIds),
      clientOrderId: undefined,
      instrumentId: '' as InstrumentId,
      strategyId: s.id,
      side: 'buy',
      type: 'market',
      // Doubles from the start, so refills write in place.
      quantity: Number.NaN,
      price: undefined,
      triggerPrice: undefined,
      timeInForce: undefined,
      postOnly: undefined,
      reduceOnly: undefined,
      tag: undefined,
      sizingFraction: undefined,
      ts: Number.NaN,
    };
    this.s = s;
    this.insts = insts;
    const base = k.logger;
    const sid = s.id;
    this.log = {
      debug: (m, d) => base.debug(m, { strategy: sid, ...d }),
      info: (m, d) => base.info(m, { strategy: sid, ...d }),
      warn: (m, d) => base.warn(m, { strategy: sid, ...d }),
      error: (m, d) => base.error(m, { strategy: sid, ...d }),
    };
    const price = (p: number | undefined, inst: Instrument): number => {
      const px = p ?? this.k.portfolio.position(inst.id)?.lastPrice ?? Number.NaN;
      if (!(px > 0)) throw invalid('price', px, `no price known yet for ${inst.id}; pass one`);
      return px;
    };
    this.sizing = {
      fixed: (q, id) => this.instrument(id).roundQuantity(q),
      percentOfEquity: (pct, p, id) => {
        const inst = this.instrument(id);
        return inst.roundQuantity(
          (this.k.portfolio.equity() * pct) / 100 / (price(p, inst) * inst.multiplier),
        );
      },
      allCash: (p, id) => {
        const inst = this.instrument(id);
        const px = price(p, inst);
        const perUnit = px * inst.multiplier * (1 + this.k.commission.rateFor(inst, 'taker'));
        return Math.max(0, inst.roundQuantity((this.k.portfolio.cash() - this.k.commission.fixed) / perUnit));
      },
    };
  }

  now(): number {
    return this.k.clock.now();
  }

  instrument(id?: InstrumentId | string): Instrument {
    if (id === undefined) {
      const first = this.insts[0];
      if (!first) throw new TickerError('NO_INSTRUMENT', `strategy ${this.s.id} has no instrument`);
      return first;
    }
    return this.k.instrument(id);
  }

  instruments(): readonly Instrument[] {
    return this.insts;
  }

  submit(req: OrderRequest): Order {
    return this.place(req.side, req);
  }

  private place(side: OrderSide, req: SideLessRequest): Order {
    const inst = this.instrument(req.instrumentId);
    const type = req.type ?? 'market';
    let quantity: number;
    if (req.fraction !== undefined) {
      if (req.quantity !== undefined)
        throw invalid('order.fraction', req.fraction, 'give either quantity or fraction, not both');
      const px = req.price ?? req.triggerPrice ?? this.k.portfolio.position(inst.id)?.lastPrice ?? Number.NaN;
      const est =
        px > 0 ? inst.roundQuantity((this.k.portfolio.equity() * req.fraction) / (px * inst.multiplier)) : 0;
      quantity = est > 0 ? est : inst.minQuantity;
    } else {
      if (req.quantity === undefined)
        throw invalid('order.quantity', undefined, 'give quantity (units) or fraction (share of equity)');
      quantity = inst.roundQuantity(req.quantity);
      if (!(quantity > 0))
        throw invalid(
          'order.quantity',
          req.quantity,
          `rounds to 0 at lot size ${inst.lotSize} for ${inst.id}`,
        );
    }
    const now = this.k.clock.now();
    // One init object per context, refilled per order: the Order copies what it needs before this returns
    // (a fresh literal per order was ~200 bytes of garbage, more than the order itself).
    const init = this.init;
    // The id is spelled only if something reads it (most backtests never do).
    init.idNumber = this.orderIds.take();
    init.clientOrderId = req.clientOrderId === undefined ? undefined : clientOrderId(req.clientOrderId);
    init.instrumentId = inst.id;
    init.side = side;
    init.type = type;
    init.quantity = quantity;
    init.price = req.price === undefined ? undefined : inst.roundPrice(req.price);
    init.triggerPrice = req.triggerPrice === undefined ? undefined : inst.roundPrice(req.triggerPrice);
    init.timeInForce = req.timeInForce;
    init.postOnly = req.postOnly;
    init.reduceOnly = req.reduceOnly;
    init.tag = req.tag;
    init.sizingFraction = req.fraction;
    init.ts = now;
    return this.k.execution.submit(new Order(init), now);
  }

  buy(req: SideLessRequest): Order {
    return this.place('buy', req);
  }

  sell(req: SideLessRequest): Order {
    return this.place('sell', req);
  }

  cancel(order: Order): void {
    this.k.execution.cancel(order);
  }

  cancelAll(instrumentId?: InstrumentId | string): void {
    const f =
      instrumentId === undefined ? { strategyId: this.s.id } : { strategyId: this.s.id, instrumentId };
    for (const o of this.k.execution.openOrders(f)) this.k.execution.cancel(o);
  }

  modify(order: Order, changes: { quantity?: number; price?: number; triggerPrice?: number }): void {
    this.k.execution.modify(order, changes);
  }

  closePosition(instrumentId?: InstrumentId | string, tag?: string): Order | undefined {
    const inst = this.instrument(instrumentId);
    const q = this.k.positionOf(inst.id);
    if (q === 0) return undefined;
    return this.place(q > 0 ? 'sell' : 'buy', {
      instrumentId: inst.id,
      quantity: Math.abs(q),
      reduceOnly: true,
      tag,
    });
  }

  position(instrumentId?: InstrumentId | string) {
    const inst = this.instrument(instrumentId);
    return this.k.portfolio.position(inst.id)!;
  }

  openOrders(instrumentId?: InstrumentId | string): Order[] {
    return this.k.execution.openOrders(
      instrumentId === undefined ? { strategyId: this.s.id } : { strategyId: this.s.id, instrumentId },
    );
  }

  equity(): number {
    return this.k.portfolio.equity();
  }

  cash(): number {
    return this.k.portfolio.cash();
  }

  setTimer(name: string, opts: { intervalUs?: number; startAt?: number }): void {
    const s = this.s;
    const timerName = `${s.id}:${name}`;
    this.k.clock.setTimer(timerName, {
      ...opts,
      callback: (ev) => {
        if (this.k.failed.has(s.id)) return;
        try {
          s.onTimer({ ...ev, name });
        } catch (e) {
          this.k.fail(s, e, 'onTimer');
        }
      },
    });
  }

  cancelTimer(name: string): void {
    this.k.clock.cancelTimer(`${this.s.id}:${name}`);
  }

  signal(input: SignalInput): void {
    checkSignal(input);
    const sig: Signal = {
      strategyId: this.s.id,
      instrumentId: this.instrument(input.instrumentId).id,
      direction: input.direction,
      strength: input.strength,
      confidence: input.confidence,
      ts: this.k.clock.now(),
    };
    this.k.bus.publish(SIGNALS_TOPIC, sig);
  }
}

/** The kernel's side of the risk layer: orders it sends go through the execution engine and every rule. */
class KernelRiskActions implements RiskActions {
  private readonly k: Kernel;
  constructor(k: Kernel) {
    this.k = k;
  }

  cancelAllOrders(): void {
    for (const o of this.k.execution.openOrders())
      this.k.execution.cancel(o, 'canceled by the risk kill switch');
  }

  /** Engine-managed exits (stop loss, take profit), replaced whenever the position they protect changes. */
  cancel(order: Order): void {
    this.k.execution.cancel(
      order,
      'canceled by the risk engine: the position it protected changed (new exits follow it)',
    );
  }

  positions() {
    return this.k.portfolio.positions();
  }

  private send(
    instrumentId: string,
    side: OrderSide,
    quantity: number,
    type: 'market' | 'limit' | 'stop-market',
    price: number | undefined,
    tag: string,
  ): Order {
    const k = this.k;
    const inst = k.instrument(instrumentId);
    const id = orderId(k.ids.next('O'));
    const now = k.clock.now();
    const px =
      price === undefined
        ? undefined
        : inst.roundPrice(price, type === 'stop-market' ? (side === 'sell' ? 'down' : 'up') : 'nearest');
    const order = new Order({
      id,
      clientOrderId: clientOrderId(id),
      instrumentId: inst.id,
      strategyId: strategyId(RISK_STRATEGY_ID),
      side,
      type,
      quantity: inst.roundQuantity(quantity, 'nearest'),
      ...(type === 'limit' ? { price: px } : {}),
      ...(type === 'stop-market' ? { triggerPrice: px } : {}),
      reduceOnly: true,
      tag,
      ts: now,
    });
    return k.execution.submit(order, now);
  }

  closePosition(instrumentId: string, tag: string): Order | undefined {
    const q = this.k.positionOf(instrumentId);
    if (q === 0) return undefined;
    return this.send(instrumentId, q > 0 ? 'sell' : 'buy', Math.abs(q), 'market', undefined, tag);
  }

  placeExit(
    instrumentId: string,
    kind: 'stop-loss' | 'take-profit',
    quantity: number,
    price: number,
  ): Order | undefined {
    const q = this.k.positionOf(instrumentId);
    if (q === 0 || !(price > 0)) return undefined;
    const o = this.send(
      instrumentId,
      q > 0 ? 'sell' : 'buy',
      quantity,
      kind === 'stop-loss' ? 'stop-market' : 'limit',
      price,
      `risk:${kind}`,
    );
    return o.status === 'denied' ? undefined : o;
  }

  hasStrategyExit(instrumentId: string, kind: 'stop-loss' | 'take-profit'): boolean {
    const q = this.k.positionOf(instrumentId);
    const exitSide = q > 0 ? 'sell' : 'buy';
    for (const o of this.k.execution.openOrders({ instrumentId })) {
      if (o.strategyId === RISK_STRATEGY_ID || o.side !== exitSide) continue;
      if (kind === 'stop-loss' ? o.type === 'stop-market' || o.type === 'stop-limit' : o.type === 'limit')
        return true;
    }
    return false;
  }
}
