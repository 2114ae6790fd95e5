import type { Order } from '../model/index.js';
import type { Denial, RiskView } from './risk-engine.js';

/**
 * active: every order is checked by the limits; reducing: only orders that shrink a position pass;
 * halted: nothing passes except the risk layer's own closing orders (NautilusTrader's TradingState).
 */
export type TradingState = 'active' | 'reducing' | 'halted';

/** Orders the risk layer itself sends (kill switch, stop loss, take profit) carry this tag prefix. */
export const RISK_TAG = 'risk:';
/** The strategy id the risk layer's own orders are sent under. */
export const RISK_STRATEGY_ID = 'risk';

const RANK: Record<TradingState, number> = { active: 0, reducing: 1, halted: 2 };

/**
 * True when a position going from `before` to `after` only shrinks: it ends flat or on the same side,
 * no larger. A close whose quantity overshoots the position by float rounding (|after| ≤ 1e-12 on the
 * other side) counts as a close. The one definition both the trading-state rule and the standard rules use.
 */
export function isReducing(before: number, after: number): boolean {
  const a = Math.abs(after);
  return (
    a <= Math.abs(before) + 1e-12 &&
    (after === 0 || Math.sign(after) === Math.sign(before) || (before !== 0 && a <= 1e-12))
  );
}

/** True when the order can only shrink the position it faces (it cannot open, grow or flip one). */
export function reducesPosition(order: Order, view: RiskView): boolean {
  const q = view.position(order.instrumentId)?.quantity ?? 0;
  return q !== 0 && isReducing(q, q + order.sign * order.quantity);
}

/** The trading state of the account, of each strategy, and pauses per instrument (anomalies). */
export class TradingStates {
  private account: TradingState = 'active';
  private accountReason = '';
  private readonly strategies = new Map<string, { state: TradingState; reason: string }>();
  private readonly paused = new Map<string, string>();
  /** How many strategies are not active (so "is anything restricted" is a few compares, not a scan). */
  private restricted = 0;
  /** Bumped on every change, so a reader can cache. */
  version = 0;

  /** allActive, kept by every change (read on every order: the paused map's size was a call V8 did not inline). */
  private active = true;

  /** Nothing restricts trading: the account and every strategy are active, no instrument is paused. */
  get allActive(): boolean {
    return this.active;
  }

  private changed(): void {
    this.active = this.account === 'active' && this.restricted === 0 && this.paused.size === 0;
    this.version++;
  }

  accountState(): TradingState {
    return this.account;
  }

  setAccount(state: TradingState, reason = ''): void {
    this.account = state;
    this.accountReason = reason;
    this.changed();
  }

  strategyState(strategyId: string): TradingState {
    return this.strategies.get(strategyId)?.state ?? 'active';
  }

  setStrategy(strategyId: string, state: TradingState, reason = ''): void {
    const before = this.strategyState(strategyId);
    if (before === 'active' && state !== 'active') this.restricted++;
    else if (before !== 'active' && state === 'active') this.restricted--;
    this.strategies.set(strategyId, { state, reason });
    this.changed();
  }

  /** The stricter of the account's and the strategy's state. */
  effective(strategyId: string): TradingState {
    const s = this.strategyState(strategyId);
    return RANK[s] > RANK[this.account] ? s : this.account;
  }

  reason(strategyId?: string): string {
    if (strategyId && RANK[this.strategyState(strategyId)] > RANK[this.account])
      return this.strategies.get(strategyId)!.reason;
    return this.accountReason;
  }

  pause(instrumentId: string, reason: string): void {
    this.paused.set(instrumentId, reason);
    this.changed();
  }

  resume(instrumentId: string): void {
    if (this.paused.delete(instrumentId)) this.changed();
  }

  pausedReason(instrumentId: string): string | undefined {
    return this.paused.get(instrumentId);
  }

  pausedInstruments(): string[] {
    return [...this.paused.keys()];
  }
}

/**
 * The trading-state rule (StandardRules runs it first): halted denies every order but the risk layer's
 * closing orders, reducing (or a paused instrument) denies every order that does not shrink a position.
 */
export function denyTradingState(order: Order, view: RiskView, states: TradingStates): Denial | null {
  // The usual case, in three compares: nothing is halted, reducing or paused.
  return states.allActive ? null : restrictedDenial(order, view, states);
}

function restrictedDenial(order: Order, view: RiskView, states: TradingStates): Denial | null {
  const state = states.effective(order.strategyId);
  const paused = states.pausedReason(order.instrumentId);
  if (state === 'active' && paused === undefined) return null;
  if (state === 'halted') {
    const own = order.reduceOnly && order.tag !== undefined && order.tag.startsWith(RISK_TAG);
    if (own && reducesPosition(order, view)) return null;
    return {
      rule: 'trading-state',
      message: `trading is halted (${states.reason(order.strategyId)}); order refused`,
    };
  }
  if (reducesPosition(order, view)) return null;
  if (state === 'reducing')
    return {
      rule: 'trading-state',
      message: `trading is reducing-only (${states.reason(order.strategyId)}): ${order.side} ${order.quantity} would not reduce a position`,
    };
  return {
    rule: 'instrument-paused',
    message: `${order.instrumentId} is paused (${paused}): only orders that reduce the position pass`,
  };
}
