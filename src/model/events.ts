import type { Fill } from './fill.js';
import type { UnixMicros } from './ids.js';
import type { Order, OrderStatus } from './order.js';

/** What happened to an order; `order` is the live order object after the change. */
export interface OrderEvent {
  readonly kind: OrderStatus | 'updated';
  readonly order: Order;
  readonly ts: UnixMicros;
  readonly reason?: string;
  readonly fill?: Fill;
}

/**
 * An order the risk engine refused before it reached a venue: the rule that refused it and the numbers
 * it compared, so the strategy, the logs and the API can say exactly why.
 */
export interface OrderDenied {
  readonly order: Order;
  readonly rule: string;
  readonly message: string;
  readonly limit?: number;
  readonly actual?: number;
  readonly ts: UnixMicros;
}

export interface TimerEvent {
  readonly name: string;
  readonly ts: UnixMicros;
  /** When the timer was due (equal to ts in backtests; a live clock may fire late). */
  readonly scheduledAt: UnixMicros;
}
