import { type MessageBus, Topics } from '../core/index.js';
import type { Bar, Fill, Instrument } from '../model/index.js';
import { invalid } from '../model/index.js';
import type { OrderBook } from '../book/index.js';
import { type AggregationOptions, aggregate, contributionOf } from './aggregation.js';
import { AttributionBook, UNATTRIBUTED } from './attribution.js';
import { SIGNALS_TOPIC, type Signal } from './signal.js';
import { Strategy } from './strategy.js';

/** A strategy whose state survives a restart: a JSON-serializable record out, the same record back in. */
export interface StatefulStrategy {
  snapshotState(): unknown;
  restoreState(state: unknown): void;
}

export function isStateful(s: object): s is StatefulStrategy {
  const x = s as Partial<StatefulStrategy>;
  return typeof x.snapshotState === 'function' && typeof x.restoreState === 'function';
}

export interface ManagedStrategy {
  readonly strategy: Strategy<object>;
  /** Share of equity this strategy's signals are sized on (0 < allocation ≤ 1; Σ ≤ 1). */
  readonly allocation: number;
  /** Instruments it trades (default: all of the engine's). */
  readonly instruments?: readonly string[];
}

export interface StrategyManagerOptions extends AggregationOptions {
  readonly id?: string;
}

/** The engines' common face the manager attaches to (BacktestEngine, L2BacktestEngine). */
export interface ManagerHost {
  addStrategy(strategy: Strategy<object>, instrumentIds?: readonly string[]): unknown;
  readonly kernel: { readonly bus: MessageBus; instruments(): readonly Instrument[] };
}

export interface StrategyFailure {
  readonly strategyId: string;
  readonly hook: string;
  readonly error: string;
  readonly ts: number;
}

export interface StrategyPerformance {
  readonly strategyId: string;
  readonly allocation: number;
  /** From the manager's netted trading (signals), by AttributionBook. */
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly netPnl: number;
  readonly fills: number;
  readonly roundTrips: number;
  /** Virtual position per instrument. */
  readonly positions: Readonly<Record<string, number>>;
  /** Orders the strategy sent itself (not signals): fills, realized P&L and fees of its own fills. */
  readonly direct: { readonly fills: number; readonly realizedPnl: number; readonly fees: number };
  readonly failed: boolean;
}

export interface ManagerReport {
  readonly strategies: readonly StrategyPerformance[];
  /** Fill quantity no strategy was waiting for (see AttributionBook). */
  readonly unattributed: StrategyPerformance;
  readonly failures: readonly StrategyFailure[];
  /** Last target and the manager's own position per instrument (units). */
  readonly targets: Readonly<Record<string, { readonly target: number; readonly held: number }>>;
}

/**
 * Runs several strategies on several instruments as one book. Strategies may send orders themselves or
 * send signals (`ctx.signal`); the manager keeps each strategy's latest signal per instrument, sizes it on
 * the strategy's allocated capital, nets the signals by the rule in strategy/aggregation.ts and trades
 * the difference between the target and its own position with market orders. It is added to the engine
 * after its members, so on every bar or book it rebalances after they have spoken. A member that throws is
 * stopped by the kernel; the manager drops its signals (its share is unwound), reports it, and goes on.
 * Attribution per strategy: strategy/attribution.ts. snapshotState()/restoreState() carry the members'
 * states (those that are StatefulStrategy) and the manager's own.
 */
export class StrategyManager extends Strategy<StrategyManagerOptions> implements StatefulStrategy {
  readonly members: readonly ManagedStrategy[];
  readonly attribution: AttributionBook;
  private readonly memberById = new Map<string, ManagedStrategy>();
  private readonly signals = new Map<string, Signal>();
  private readonly dirty = new Set<string>();
  private readonly held = new Map<string, number>();
  private readonly targets = new Map<string, number>();
  private readonly failures: StrategyFailure[] = [];
  private readonly direct = new Map<string, { fills: number; realizedPnl: number; fees: number }>();
  private instrumentIds: readonly string[] = [];

  constructor(members: readonly ManagedStrategy[], opts: StrategyManagerOptions = {}) {
    super(opts, opts.id ?? 'manager');
    let sum = 0;
    members.forEach((m, i) => {
      if (!(m.allocation > 0 && m.allocation <= 1))
        throw invalid(`manager.members.${i}.allocation`, m.allocation, 'must be in (0, 1]');
      if (this.memberById.has(m.strategy.id))
        throw invalid(`manager.members.${i}.strategy.id`, m.strategy.id, 'is used twice');
      sum += m.allocation;
      this.memberById.set(m.strategy.id, m);
    });
    if (sum > 1 + 1e-9) throw invalid('manager.members.allocation', sum, 'allocations must sum to at most 1');
    aggregate([], opts.conflictRatio ?? 0.5); // validates conflictRatio
    this.members = members;
    this.attribution = new AttributionBook((id) => this.ctx.instrument(id).multiplier);
  }

  /** Adds the members, then the manager itself (last, so it hears them first), and wires the bus. */
  attach(host: ManagerHost): this {
    const bus = host.kernel.bus;
    const ids = new Set<string>();
    for (const m of this.members) {
      host.addStrategy(m.strategy, m.instruments);
      for (const id of m.instruments ?? host.kernel.instruments().map((i) => i.id)) ids.add(id);
      const sid = m.strategy.id;
      bus.subscribe<{ status: string; hook: string; error: string }>(Topics.strategyStatus(sid), (st) => {
        if (st.status === 'failed') this.onMemberFailed(sid, st.hook, st.error);
      });
      bus.subscribe<Fill>(Topics.fills(sid), (f) => {
        const d = this.directOf(sid);
        d.fills++;
        d.realizedPnl += f.realizedPnl;
        d.fees += f.fee;
      });
    }
    this.instrumentIds = [...ids];
    bus.subscribe<Signal>(SIGNALS_TOPIC, (s) => this.onSignal(s));
    host.addStrategy(this, this.instrumentIds);
    return this;
  }

  private directOf(sid: string) {
    let d = this.direct.get(sid);
    if (!d) this.direct.set(sid, (d = { fills: 0, realizedPnl: 0, fees: 0 }));
    return d;
  }

  private isFailed(sid: string): boolean {
    return this.failures.some((f) => f.strategyId === sid);
  }

  private onSignal(s: Signal): void {
    if (!this.memberById.has(s.strategyId) || this.isFailed(s.strategyId)) return;
    if (!this.instrumentIds.includes(s.instrumentId)) return;
    this.signals.set(`${s.strategyId}|${s.instrumentId}`, s);
    this.dirty.add(s.instrumentId);
  }

  private onMemberFailed(sid: string, hook: string, error: string): void {
    this.failures.push({ strategyId: sid, hook, error, ts: this.ctx.now() });
    for (const [k, s] of this.signals)
      if (s.strategyId === sid) {
        this.signals.delete(k);
        this.dirty.add(s.instrumentId);
      }
    // Its virtual positions are unwound too (they are part of the targets through `desired`).
    for (const [iid, lines] of this.attribution.lines) if (lines.get(sid)?.quantity) this.dirty.add(iid);
  }

  override onBar(_bar: Bar): void {
    this.rebalanceDirty();
  }

  override onBook(_book: OrderBook): void {
    this.rebalanceDirty();
  }

  override onFill(f: Fill): void {
    const q = f.side === 'buy' ? f.quantity : -f.quantity;
    this.held.set(f.instrumentId, (this.held.get(f.instrumentId) ?? 0) + q);
    this.attribution.onFill(f.instrumentId, q, f.price, f.fee);
  }

  private rebalanceDirty(): void {
    if (this.dirty.size === 0) return;
    for (const id of [...this.dirty]) if (this.rebalance(id)) this.dirty.delete(id);
  }

  /** Sets the target of one instrument and sends the order that reaches it; false when no price is known. */
  rebalance(instrumentId: string): boolean {
    const ctx = this.ctx;
    const inst = ctx.instrument(instrumentId);
    const price = ctx.position(instrumentId).lastPrice;
    if (!(price > 0)) return false;
    const equity = ctx.equity();
    const contribs = [];
    for (const m of this.members) {
      const s = this.signals.get(`${m.strategy.id}|${instrumentId}`);
      if (s)
        contribs.push({
          strategyId: s.strategyId,
          value: contributionOf(s, equity, m.allocation, this.params),
        });
    }
    const agg = aggregate(contribs, this.params.conflictRatio ?? 0.5);
    const unit = price * inst.multiplier;
    const want = new Map<string, number>();
    for (const [sid, v] of agg.contributions) want.set(sid, v / unit);
    this.attribution.setDesired(instrumentId, want, price);
    const target = Math.sign(agg.target) * inst.roundQuantity(Math.abs(agg.target) / unit);
    this.targets.set(instrumentId, target);
    let pending = 0;
    for (const o of ctx.openOrders(instrumentId)) pending += o.side === 'buy' ? o.remaining : -o.remaining;
    const diff = target - (this.held.get(instrumentId) ?? 0) - pending;
    const q = inst.roundQuantity(Math.abs(diff));
    if (q > 0) ctx.submit({ instrumentId, side: diff > 0 ? 'buy' : 'sell', quantity: q, tag: 'manager' });
    return true;
  }

  /** P&L, fees and trades per strategy, marked at each instrument's last price. */
  report(): ManagerReport {
    const perf = (sid: string, allocation: number): StrategyPerformance => {
      let realized = 0;
      let unrealized = 0;
      let fees = 0;
      let fills = 0;
      let roundTrips = 0;
      const positions: Record<string, number> = {};
      for (const [iid, lines] of this.attribution.lines) {
        const l = lines.get(sid);
        if (!l) continue;
        realized += l.realizedPnl;
        unrealized += this.attribution.unrealized(iid, l, this.ctx.position(iid).lastPrice);
        fees += l.fees;
        fills += l.fills;
        roundTrips += l.roundTrips;
        positions[iid] = l.quantity;
      }
      return {
        strategyId: sid,
        allocation,
        realizedPnl: realized,
        unrealizedPnl: unrealized,
        fees,
        netPnl: realized + unrealized - fees,
        fills,
        roundTrips,
        positions,
        direct: { ...this.directOf(sid) },
        failed: this.isFailed(sid),
      };
    };
    const targets: Record<string, { target: number; held: number }> = {};
    for (const id of this.instrumentIds)
      targets[id] = { target: this.targets.get(id) ?? 0, held: this.held.get(id) ?? 0 };
    return {
      strategies: this.members.map((m) => perf(m.strategy.id, m.allocation)),
      unattributed: perf(UNATTRIBUTED, 0),
      failures: [...this.failures],
      targets,
    };
  }

  snapshotState(): ManagerState {
    const members: Record<string, unknown> = {};
    for (const m of this.members)
      members[m.strategy.id] = isStateful(m.strategy) ? m.strategy.snapshotState() : null;
    return JSON.parse(
      JSON.stringify({
        version: 1,
        members,
        signals: [...this.signals.values()],
        dirty: [...this.dirty],
        held: [...this.held],
        targets: [...this.targets],
        failures: this.failures,
        direct: [...this.direct],
        attribution: this.attribution.toJSON(),
      }),
    ) as ManagerState;
  }

  restoreState(state: unknown): void {
    const s = state as ManagerState;
    if (s?.version !== 1) throw invalid('manager.state.version', s?.version, 'must be 1');
    for (const m of this.members) {
      const ms = s.members[m.strategy.id];
      if (ms !== undefined && ms !== null && isStateful(m.strategy)) m.strategy.restoreState(ms);
    }
    this.signals.clear();
    for (const x of s.signals) this.signals.set(`${x.strategyId}|${x.instrumentId}`, x);
    this.dirty.clear();
    for (const d of s.dirty) this.dirty.add(d);
    this.held.clear();
    for (const [k, v] of s.held) this.held.set(k, v);
    this.targets.clear();
    for (const [k, v] of s.targets) this.targets.set(k, v);
    this.failures.length = 0;
    this.failures.push(...s.failures);
    this.direct.clear();
    for (const [k, v] of s.direct) this.direct.set(k, { ...v });
    this.attribution.restore(s.attribution);
  }
}

/** The manager's snapshot (JSON). */
export interface ManagerState {
  readonly version: 1;
  readonly members: Record<string, unknown>;
  readonly signals: Signal[];
  readonly dirty: string[];
  readonly held: [string, number][];
  readonly targets: [string, number][];
  readonly failures: StrategyFailure[];
  readonly direct: [string, { fills: number; realizedPnl: number; fees: number }][];
  readonly attribution: unknown;
}
