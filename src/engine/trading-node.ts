import { type Clock, type Logger, Topics, silentLogger } from '../core/index.js';
import { BarVenue } from '../execution/bar-venue.js';
import {
  Bar,
  type Fill,
  Instrument,
  type Order,
  type OrderEvent,
  type Position,
  TickerError,
  instrumentId as toInstrumentId,
  invalid,
} from '../model/index.js';
import { RISK_STRATEGY_ID, type RiskEvent, StepMark, parseRiskConfig } from '../risk/index.js';
import type { OrderRequest } from '../strategy/context.js';
import { SIGNALS_TOPIC, type Signal } from '../strategy/signal.js';
import { Kernel } from './kernel.js';
import { MANUAL_STRATEGY_ID, ManualStrategy, NodeStrategy } from './node-strategy.js';
import {
  type TradingNodeConfig,
  type TradingNodeConfigInput,
  parseWith,
  tradingNodeConfigSchema,
} from './trading-node-config.js';
import {
  type BarFeed,
  type FeedBar,
  type FillRecord,
  type OrderRecord,
  type PortfolioSnapshot,
  type PositionRecord,
  type StateStore,
  recoverState,
} from './trading-node-ports.js';

export interface Candle {
  readonly ts: number;
  readonly sourceTs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** What the node tells its observers (the server's WebSocket streams, metrics). */
export type NodeEvent =
  | {
      readonly stream: 'market';
      readonly type: 'bar';
      readonly instrumentId: string;
      readonly candle: Candle;
    }
  | { readonly stream: 'orders'; readonly type: 'order'; readonly order: OrderRecord }
  | { readonly stream: 'fills'; readonly type: 'fill'; readonly fill: FillRecord }
  | { readonly stream: 'portfolio'; readonly type: 'snapshot'; readonly snapshot: PortfolioSnapshot }
  | { readonly stream: 'signals'; readonly type: 'signal'; readonly signal: Signal }
  | { readonly stream: 'system'; readonly type: string; readonly message: string; readonly data?: unknown };

export interface TradingNodeDeps {
  readonly clock: Clock;
  readonly feed: BarFeed;
  readonly store: StateStore;
  readonly logger?: Logger;
}

export interface NodeCounters {
  bars: number;
  orders: number;
  fills: number;
  denied: number;
  storeAppends: number;
  /** Last bar's processing time in the node (µs of wall time, from the clock). */
  lastBarLatencyUs: number;
  barLatencySumUs: number;
}

const CANDLES_KEPT = 2000;

/**
 * The paper trading node: the kernel with an injected clock (a wall clock in production), a bar feed →
 * strategies → risk → simulated bar venue → portfolio. Every order state change, fill, strategy change and a
 * snapshot per bar go to the StateStore as they happen; start() folds the store back (fills re-applied to
 * the portfolio, so the ledger reconciles by construction) before the feed resumes where it stopped.
 */
export class TradingNode {
  readonly config: TradingNodeConfig;
  readonly kernel: Kernel;
  readonly venue: BarVenue;
  readonly feed: BarFeed;
  readonly store: StateStore;
  readonly startedAt: number;
  readonly counters: NodeCounters = {
    bars: 0,
    orders: 0,
    fills: 0,
    denied: 0,
    storeAppends: 0,
    lastBarLatencyUs: 0,
    barLatencySumUs: 0,
  };
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly strategyMap = new Map<string, NodeStrategy>();
  private readonly manual = new ManualStrategy();
  private readonly ordersById = new Map<string, OrderRecord>();
  private readonly fillList: FillRecord[] = [];
  private readonly snapshots: PortfolioSnapshot[] = [];
  private readonly candles = new Map<string, Candle[]>();
  private readonly cursors: Record<string, number> = {};
  private readonly bars = new Map<string, { bar: Bar; venueIdx: number; riskIdx: number; pos: Position }>();
  private readonly listeners = new Set<(ev: NodeEvent) => void>();
  private lastTs = 0;
  /** The per-step risk hook's reused argument. */
  private readonly mark = new StepMark();
  private state: 'created' | 'running' | 'stopped' = 'created';
  recoveredFrom: { orders: number; fills: number; snapshots: number } | undefined = undefined;

  constructor(input: TradingNodeConfigInput, deps: TradingNodeDeps) {
    this.config = parseWith(tradingNodeConfigSchema, input, 'node');
    const cfg = this.config;
    this.clock = deps.clock;
    this.feed = deps.feed;
    this.store = deps.store;
    this.logger = deps.logger ?? silentLogger;
    this.startedAt = this.clock.now();
    this.kernel = new Kernel(
      {
        portfolio: {
          baseCurrency: cfg.account.currency,
          startingCash: cfg.account.cash,
          accountType: cfg.account.type,
        },
        commission: cfg.commission,
        seed: cfg.seed,
        risk: parseRiskConfig(cfg.risk, 'node.risk'),
      },
      { clock: this.clock, logger: this.logger },
    );
    const k = this.kernel;
    this.venue = new BarVenue({
      fill: cfg.execution.fill,
      slippageBps: cfg.execution.slippageBps,
      account: k,
    });
    k.addExecutionClient(this.venue, true);
    cfg.instruments.forEach((ic, i) => {
      const inst = new Instrument({
        id: ic.id,
        kind: ic.kind,
        base: ic.base ?? ic.id.split(/[.\-/]/)[0] ?? ic.id,
        quote: ic.quote,
        tickSize: ic.tickSize,
        lotSize: ic.lotSize,
        minQuantity: ic.minQuantity ?? ic.lotSize,
        ...(ic.makerFee !== undefined ? { makerFee: ic.makerFee } : {}),
        ...(ic.takerFee !== undefined ? { takerFee: ic.takerFee } : {}),
      });
      if (this.bars.has(inst.id)) throw invalid(`node.instruments.${i}.id`, ic.id, 'is listed twice');
      k.addInstrument(inst);
      const venueIdx = this.venue.addInstrument(inst);
      this.bars.set(inst.id, {
        bar: new Bar(inst.id),
        venueIdx,
        riskIdx: k.riskMonitor.indexOf(inst.id),
        pos: k.portfolio.position(inst.id)!,
      });
      this.candles.set(inst.id, []);
    });
    k.addStrategy(this.manual);
    cfg.strategies.forEach((sc, i) => {
      if (sc.id === MANUAL_STRATEGY_ID || sc.id === RISK_STRATEGY_ID || this.strategyMap.has(sc.id))
        throw invalid(`node.strategies.${i}.id`, sc.id, 'is reserved or used twice');
      for (const [j, id] of (sc.instruments ?? []).entries())
        if (!this.bars.has(id))
          throw invalid(`node.strategies.${i}.instruments.${j}`, id, `is not a configured instrument`);
      let s: NodeStrategy;
      try {
        s = new NodeStrategy(sc.name, sc.params, sc.id);
      } catch (e) {
        if (e instanceof TickerError)
          throw invalid(`node.strategies.${i}.${e.field ?? 'name'}`, e.value, e.message);
        throw e;
      }
      k.addStrategy(s, sc.instruments);
      this.strategyMap.set(s.id, s);
    });
    for (const sid of [MANUAL_STRATEGY_ID, RISK_STRATEGY_ID, ...this.strategyMap.keys()])
      k.bus.subscribe<OrderEvent>(Topics.orderEvents(sid), (ev) => this.onOrderEvent(ev));
    // Strategies' opinions (ctx.signal), as the kernel publishes them; copied, the payload is the bus's.
    k.bus.subscribe<Signal>(SIGNALS_TOPIC, (sig) =>
      this.emit({ stream: 'signals', type: 'signal', signal: { ...sig } }),
    );
    k.bus.subscribe<RiskEvent>(Topics.riskEvents(), (ev) =>
      this.emit({ stream: 'system', type: 'risk', message: ev.message, data: ev }),
    );
  }

  /** Recovers from the store, starts the strategies and the feed. */
  async start(): Promise<void> {
    if (this.state !== 'created')
      throw new TickerError('NODE_STATE', `node is ${this.state}; start() runs once`);
    await this.recover();
    const k = this.kernel;
    k.start();
    const recovered = this.recoveredStrategies;
    for (const sc of this.config.strategies) {
      const s = this.strategyMap.get(sc.id)!;
      const saved = recovered.get(sc.id);
      if (saved && JSON.stringify(saved.params) !== JSON.stringify(s.parameters))
        s.setParameters({ ...saved.params });
      if (saved ? saved.enabled : sc.enabled) s.enable();
    }
    this.state = 'running';
    const line = `${this.feed.kind === 'replay' ? 'REPLAY (historical bars, not live market data)' : 'LIVE market data'}: ${this.feed.description}`;
    this.logger.info(`trading node started in paper mode: ${line}; state store: ${this.store.description}`);
    this.emit({ stream: 'system', type: 'started', message: line });
    const resume = new Map(Object.entries(this.cursors));
    this.feed.start((b) => this.onFeedBar(b), resume);
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.feed.stop();
    this.kernel.stop();
    await this.store.flush();
    this.emit({ stream: 'system', type: 'stopped', message: 'trading node stopped' });
  }

  get status(): 'created' | 'running' | 'stopped' {
    return this.state;
  }

  private recoveredStrategies = new Map<
    string,
    { enabled: boolean; params: Readonly<Record<string, unknown>> }
  >();

  private async recover(): Promise<void> {
    const st = recoverState(await this.store.load());
    const k = this.kernel;
    let maxOrder = 0;
    let maxFill = 0;
    const num = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? 0);
    for (const f of st.fills) {
      if (!this.bars.has(f.instrumentId))
        throw invalid(
          'store.fill.instrumentId',
          f.instrumentId,
          'is not configured any more; keep it or move the data directory away',
        );
      k.portfolio.applyFill({ ...f, realizedPnl: 0 } as Fill);
      this.fillList.push(f);
      maxFill = Math.max(maxFill, num(f.id));
    }
    const now = this.clock.now();
    for (const o of st.orders.values()) {
      maxOrder = Math.max(maxOrder, num(o.id));
      if (
        o.status === 'submitted' ||
        o.status === 'accepted' ||
        o.status === 'triggered' ||
        o.status === 'partially-filled' ||
        o.status === 'pending-cancel'
      ) {
        // The simulated venue's book of resting orders is not restored (interim): such orders are closed
        // as canceled, recorded, and the strategy decides again on the next bar.
        const closed: OrderRecord = {
          ...o,
          status: 'canceled',
          reason: 'node restarted: resting orders are not carried over',
          updatedAt: now,
        };
        this.ordersById.set(o.id, closed);
        this.append({ type: 'order', order: closed });
      } else this.ordersById.set(o.id, o);
    }
    const last = st.lastSnapshot;
    if (last) {
      Object.assign(this.cursors, last.cursors);
      for (const p of last.positions) {
        const pos = k.portfolio.position(p.instrumentId);
        if (pos && p.lastPrice !== null) pos.lastPrice = p.lastPrice;
      }
      this.lastTs = last.ts;
      k.step = last.step + 1;
    }
    this.snapshots.push(...st.snapshots);
    for (const s of st.strategies.values()) this.recoveredStrategies.set(s.id, s);
    // Ids continue after the recovered ones so a restart never reuses an order or fill id.
    const oc = k.ids.counter('O');
    for (let i = 0; i < maxOrder; i++) oc.next();
    const fc = k.ids.counter('F');
    for (let i = 0; i < maxFill; i++) fc.next();
    this.recoveredFrom = { orders: st.orders.size, fills: st.fills.length, snapshots: st.snapshots.length };
    if (st.orders.size || st.fills.length)
      this.logger.info('recovered state from the store', { ...this.recoveredFrom, cash: k.portfolio.cash() });
  }

  private append(rec: Parameters<StateStore['append']>[0]): void {
    this.store.append(rec);
    this.counters.storeAppends++;
  }

  /** One bar: venue fills, marks, risk, strategies, then the snapshot (the same order as a backtest step). */
  onFeedBar(fb: FeedBar): void {
    if (this.state !== 'running') return;
    const slot = this.bars.get(fb.instrumentId);
    if (!slot) return;
    const k = this.kernel;
    const t0 = this.clock.now();
    const ts = t0 > this.lastTs ? t0 : this.lastTs + 1;
    this.lastTs = ts;
    const bar = slot.bar;
    bar.ts = ts;
    bar.open = fb.open;
    bar.high = fb.high;
    bar.low = fb.low;
    bar.close = fb.close;
    bar.volume = fb.volume;
    bar.index = k.step;
    this.venue.onBar(slot.venueIdx, bar);
    slot.pos.lastPrice = bar.close;
    k.riskMonitor.onBar(slot.riskIdx, bar, k.step);
    k.bus.publish(Topics.bars(fb.instrumentId), bar);
    if (fb.sourceIndex >= 0) this.cursors[fb.instrumentId] = fb.sourceIndex + 1;
    const equity = k.portfolio.equity();
    const mark = this.mark;
    mark.ts = ts;
    mark.equity = equity;
    mark.step = k.step;
    k.riskMonitor.onStep(mark);
    const candle: Candle = {
      ts,
      sourceTs: fb.sourceTs,
      open: fb.open,
      high: fb.high,
      low: fb.low,
      close: fb.close,
      volume: fb.volume,
    };
    const list = this.candles.get(fb.instrumentId)!;
    list.push(candle);
    if (list.length > CANDLES_KEPT) list.splice(0, list.length - CANDLES_KEPT);
    const snap = this.snapshot(ts);
    this.snapshots.push(snap);
    if (this.snapshots.length > 5000) this.snapshots.splice(0, this.snapshots.length - 5000);
    this.append({ type: 'snapshot', snapshot: snap });
    k.step++;
    this.counters.bars++;
    const dt = this.clock.now() - t0;
    this.counters.lastBarLatencyUs = dt;
    this.counters.barLatencySumUs += dt;
    this.emit({ stream: 'market', type: 'bar', instrumentId: fb.instrumentId, candle });
    this.emit({ stream: 'portfolio', type: 'snapshot', snapshot: snap });
  }

  private onOrderEvent(ev: OrderEvent): void {
    const rec = orderRecord(ev.order);
    if (!this.ordersById.has(rec.id)) this.counters.orders++;
    if (ev.kind === 'denied') this.counters.denied++;
    this.ordersById.set(rec.id, rec);
    if (ev.fill) {
      const f = ev.fill;
      const fr: FillRecord = {
        id: f.id,
        orderId: f.orderId,
        strategyId: f.strategyId,
        instrumentId: f.instrumentId,
        side: f.side,
        quantity: f.quantity,
        price: f.price,
        fee: f.fee,
        feeCurrency: f.feeCurrency,
        liquidity: f.liquidity,
        ts: f.ts,
      };
      // The fill goes to the store before the order state that reports it, so recovery never sees a
      // filled order without its fill.
      this.append({ type: 'fill', fill: fr });
      this.fillList.push(fr);
      this.counters.fills++;
      this.emit({ stream: 'fills', type: 'fill', fill: fr });
    }
    this.append({ type: 'order', order: rec });
    this.emit({ stream: 'orders', type: 'order', order: rec });
  }

  snapshot(ts = this.clock.now()): PortfolioSnapshot {
    const p = this.kernel.portfolio;
    return {
      ts,
      step: this.kernel.step,
      cash: p.cash(),
      equity: p.equity(),
      grossExposure: p.grossExposure(),
      positions: this.positions(),
      cursors: { ...this.cursors },
    };
  }

  positions(): PositionRecord[] {
    return this.kernel.portfolio.positions().map((pos) => ({
      instrumentId: pos.instrumentId,
      quantity: pos.quantity,
      averagePrice: pos.averagePrice,
      lastPrice: Number.isFinite(pos.lastPrice) ? pos.lastPrice : null,
      realizedPnl: pos.realizedPnl,
      unrealizedPnl: Number.isFinite(pos.lastPrice) ? pos.unrealizedPnl() : 0,
      fees: pos.fees,
    }));
  }

  // ---- queries and commands for the API ----

  on(listener: (ev: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(ev: NodeEvent): void {
    for (const l of this.listeners) l(ev);
  }

  orders(
    filter: { status?: 'open' | 'closed'; strategyId?: string; instrumentId?: string; limit?: number } = {},
  ): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (const o of this.ordersById.values()) {
      const open = !['denied', 'rejected', 'filled', 'canceled', 'expired'].includes(o.status);
      if (filter.status === 'open' && !open) continue;
      if (filter.status === 'closed' && open) continue;
      if (filter.strategyId && o.strategyId !== filter.strategyId) continue;
      if (filter.instrumentId && o.instrumentId !== filter.instrumentId) continue;
      out.push(o);
    }
    return filter.limit ? out.slice(-filter.limit) : out;
  }

  order(id: string): OrderRecord | undefined {
    return this.ordersById.get(id);
  }

  fills(limit = 500): FillRecord[] {
    return this.fillList.slice(-limit);
  }

  history(limit = 1000): PortfolioSnapshot[] {
    return this.snapshots.slice(-limit);
  }

  candlesOf(instrumentId: string, limit = 500): Candle[] {
    const c = this.candles.get(instrumentId);
    if (!c)
      throw invalid(
        'instrumentId',
        instrumentId,
        `is not traded by this node; known: ${[...this.candles.keys()].join(', ')}`,
      );
    return c.slice(-limit);
  }

  strategies(): NodeStrategy[] {
    return [...this.strategyMap.values()];
  }

  strategy(id: string): NodeStrategy | undefined {
    return this.strategyMap.get(id);
  }

  private recordStrategy(s: NodeStrategy): void {
    this.append({
      type: 'strategy',
      strategy: { id: s.id, enabled: s.enabled, params: { ...s.parameters } },
    });
    this.emit({
      stream: 'system',
      type: 'strategy',
      message: `strategy ${s.id} ${s.enabled ? 'running' : 'stopped'}`,
      data: { id: s.id, enabled: s.enabled },
    });
  }

  startStrategy(id: string): NodeStrategy {
    const s = this.need(id);
    s.enable();
    this.recordStrategy(s);
    return s;
  }

  stopStrategy(id: string): NodeStrategy {
    const s = this.need(id);
    s.disable();
    this.recordStrategy(s);
    return s;
  }

  setStrategyParameters(id: string, params: Record<string, unknown>): NodeStrategy {
    const s = this.need(id);
    s.setParameters(params);
    this.recordStrategy(s);
    return s;
  }

  private need(id: string): NodeStrategy {
    const s = this.strategyMap.get(id);
    if (!s)
      throw new TickerError('NOT_FOUND', `strategy '${id}' is not on this node`, { field: 'id', value: id });
    return s;
  }

  /** Places an order by hand through the kernel (risk checks included); the result may be 'denied'. */
  submitOrder(req: OrderRequest): OrderRecord {
    if (this.state !== 'running') throw new TickerError('NODE_STATE', `node is ${this.state}`);
    this.kernel.instrument(req.instrumentId ?? '');
    const o = this.manual.ctx.submit(req);
    return this.ordersById.get(o.id) ?? orderRecord(o);
  }

  /**
   * Cancels an open order; returns its record, or undefined when no such order exists. `reason` is recorded
   * on the order (the API passes "canceled via API by <user>").
   */
  cancelOrder(id: string, reason?: string): OrderRecord | undefined {
    const live = this.kernel.execution.order(id);
    if (!live) return this.ordersById.get(id);
    if (!live.isOpen)
      throw new TickerError('ORDER_NOT_OPEN', `order ${id} is ${live.status} and cannot be canceled`, {
        field: 'id',
        value: id,
      });
    this.kernel.execution.cancel(live, reason);
    return this.ordersById.get(id) ?? orderRecord(live);
  }

  cancelAll(instrumentId?: string, reason?: string): number {
    const open = this.kernel.execution.openOrders(instrumentId ? { instrumentId } : undefined);
    for (const o of open) this.kernel.execution.cancel(o, reason);
    return open.length;
  }

  killSwitch(reason: string): void {
    this.kernel.killSwitch(reason);
    this.emit({ stream: 'system', type: 'kill-switch', message: reason });
  }

  resetKillSwitch(): void {
    this.kernel.riskMonitor.resume();
    this.emit({ stream: 'system', type: 'kill-switch-reset', message: 'kill switch reset; trading resumed' });
  }

  instrumentIds(): string[] {
    return [...this.bars.keys()].map((id) => toInstrumentId(id));
  }
}

export function orderRecord(o: Order): OrderRecord {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    quantity: o.quantity,
    price: o.price ?? null,
    triggerPrice: o.triggerPrice ?? null,
    reduceOnly: o.reduceOnly,
    status: o.status,
    filledQuantity: o.filledQuantity,
    averageFillPrice: o.averageFillPrice,
    reason: o.reason ?? null,
    tag: o.tag ?? null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}
