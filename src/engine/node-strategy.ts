import type { Bar, Fill, OrderDenied, OrderEvent, TimerEvent } from '../model/index.js';
import { createStrategy } from '../strategies/index.js';
import { Strategy } from '../strategy/strategy.js';

/**
 * A running node's handle on one strategy: the kernel sees this object (one id, all hooks subscribed);
 * it forwards to the current instance while enabled. Stopping cancels the strategy's open orders and stops
 * forwarding; new parameters build a fresh instance (indicators warm up again).
 */
export class NodeStrategy extends Strategy<object> {
  readonly registryName: string;
  private current: Strategy<object>;
  enabled = false;

  constructor(registryName: string, params: Record<string, unknown>, id: string) {
    const inner = createStrategy(registryName, params, id);
    super(inner.params, id);
    this.registryName = registryName;
    this.current = inner;
  }

  get parameters(): Readonly<Record<string, unknown>> {
    return this.current.params as Record<string, unknown>;
  }

  override get warmupBars(): number {
    return this.current.warmupBars;
  }

  /** Validates and applies new parameters (a TickerError names the bad one); keeps the enabled state. */
  setParameters(params: Record<string, unknown>): void {
    const next = createStrategy(this.registryName, { ...this.parameters, ...params }, this.id);
    const wasEnabled = this.enabled;
    if (wasEnabled) this.disable();
    this.current = next;
    if (wasEnabled) this.enable();
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.current.ctx = this.ctx;
    this.current.onStart();
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.ctx.cancelAll();
    this.current.onStop();
  }

  override onStart(): void {
    this.current.ctx = this.ctx;
  }
  override onBar(bar: Bar): void {
    if (this.enabled) this.current.onBar(bar);
  }
  override onOrderEvent(ev: OrderEvent): void {
    if (this.enabled) this.current.onOrderEvent(ev);
  }
  override onFill(fill: Fill): void {
    if (this.enabled) this.current.onFill(fill);
  }
  override onOrderDenied(d: OrderDenied): void {
    if (this.enabled) this.current.onOrderDenied(d);
  }
  override onTimer(ev: TimerEvent): void {
    if (this.enabled) this.current.onTimer(ev);
  }
  override onStop(): void {
    this.disable();
  }
}

/** The strategy id orders placed through the API belong to. */
export const MANUAL_STRATEGY_ID = 'manual';

/** Orders placed by hand (API, dashboard) go through this strategy's context: same risk checks, same venue. */
export class ManualStrategy extends Strategy<object> {
  constructor() {
    super({}, MANUAL_STRATEGY_ID);
  }
}
