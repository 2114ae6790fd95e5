import type { Liquidity, Order, UnixMicros } from '../model/index.js';

/**
 * What a venue (simulated or real) tells the kernel about our orders. The ExecutionEngine implements it;
 * every ExecutionClient reports through it and never touches the portfolio or the bus itself.
 */
export interface ExecutionReports {
  accepted(order: Order, ts: UnixMicros): void;
  rejected(order: Order, reason: string, ts: UnixMicros): void;
  triggered(order: Order, ts: UnixMicros): void;
  canceled(order: Order, reason: string, ts: UnixMicros): void;
  expired(order: Order, ts: UnixMicros): void;
  filled(order: Order, quantity: number, price: number, liquidity: Liquidity, ts: UnixMicros): void;
  updated(order: Order, ts: UnixMicros): void;
}

export interface OrderChanges {
  readonly quantity?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
}

/** The port a venue implements: the bar simulator, the L2 simulator, or a real exchange adapter. */
export interface ExecutionClient {
  readonly venue: string;
  bind(reports: ExecutionReports): void;
  submit(order: Order): void;
  /** `reason` is recorded on the canceled order (default: the venue's own, e.g. 'canceled by strategy'). */
  cancel(order: Order, reason?: string): void;
  modify(order: Order, changes: OrderChanges): void;
}

/** Commission per fill: `fixed + rate × notional`. When `rate` is undefined the instrument's maker/taker fee applies. */
export interface CommissionSpec {
  readonly rate?: number;
  readonly fixed?: number;
}
