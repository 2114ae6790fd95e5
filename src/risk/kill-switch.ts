import type { Order, Position } from '../model/index.js';
import type { TradingStates } from './trading-state.js';

/**
 * What the risk layer may do to the account. The kernel implements it; orders it sends go through the
 * execution engine and the pre-trade rules like any other, under the strategy id 'risk' with a 'risk:' tag.
 */
export interface RiskActions {
  /** Cancels every open order of every strategy. */
  cancelAllOrders(): void;
  cancel(order: Order): void;
  /** Sends a reduce-only market order closing the position in the instrument (no-op when flat). */
  closePosition(instrumentId: string, tag: string): Order | undefined;
  /** Sends a reduce-only stop-market (stop loss) or limit (take profit) order at `price`. */
  placeExit(
    instrumentId: string,
    kind: 'stop-loss' | 'take-profit',
    quantity: number,
    price: number,
  ): Order | undefined;
  /** True when a strategy (not the risk layer) has its own open exit of this kind on the instrument. */
  hasStrategyExit(instrumentId: string, kind: 'stop-loss' | 'take-profit'): boolean;
  positions(): readonly Position[];
}

/** Halts trading, cancels every order and flattens every position. Undone only by `resume()`. */
export class KillSwitch {
  private readonly actions: RiskActions;
  private readonly states: TradingStates;
  triggeredBy: string | undefined = undefined;

  constructor(actions: RiskActions, states: TradingStates) {
    this.actions = actions;
    this.states = states;
  }

  get isTriggered(): boolean {
    return this.triggeredBy !== undefined;
  }

  /** Returns the closing orders it sent. */
  trigger(reason: string): Order[] {
    this.triggeredBy = reason;
    this.states.setAccount('halted', reason);
    this.actions.cancelAllOrders();
    const out: Order[] = [];
    for (const p of this.actions.positions()) {
      if (p.quantity === 0) continue;
      const o = this.actions.closePosition(p.instrumentId, 'risk:kill-switch');
      if (o) out.push(o);
    }
    return out;
  }

  /** Back to active trading (by hand, after a human looked). */
  resume(): void {
    this.triggeredBy = undefined;
    this.states.setAccount('active', '');
  }
}
