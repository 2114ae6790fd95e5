import type { Liquidity, Order, UnixMicros } from '../../model/index.js';
import type { OrderChanges } from '../ports.js';

/**
 * A one-way FIFO connection with latency: messages leave in order and arrive in order (one TCP
 * connection or WebSocket), so a message never overtakes the one sent before it even when its latency
 * draw is smaller. `arriveAt` = max(previous arrival, sent + latency).
 */
export class Wire<T extends { at: UnixMicros }> {
  private items: T[] = [];
  private head = 0;
  private last = -Infinity;

  /** Queues `msg` sent at `sentAt` with `latencyUs`; stamps and returns its arrival time. */
  send(msg: T, sentAt: UnixMicros, latencyUs: number): UnixMicros {
    const at = Math.max(this.last, sentAt + latencyUs);
    this.last = at;
    msg.at = at;
    this.items.push(msg);
    return at;
  }

  /** Arrival time of the next message, Infinity when none is in flight. */
  get nextAt(): number {
    return this.head < this.items.length ? this.items[this.head]!.at : Infinity;
  }

  get inFlight(): number {
    return this.items.length - this.head;
  }

  /** The next message if it has arrived by `t`, else undefined. */
  take(t: UnixMicros): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const m = this.items[this.head]!;
    if (m.at > t) return undefined;
    this.head++;
    // Drop delivered messages now and then, not per message (shift() is O(n)).
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }
}

/** Strategy → venue. */
export interface OrderMessage {
  kind: 'submit' | 'cancel' | 'modify';
  at: UnixMicros;
  order: Order;
  changes: OrderChanges | undefined;
}

/** Venue → strategy: what happened at the venue at `ts`, delivered at `at`. */
export interface VenueReport {
  kind: 'accepted' | 'rejected' | 'canceled' | 'filled' | 'updated';
  at: UnixMicros;
  ts: UnixMicros;
  order: Order;
  quantity: number;
  price: number;
  liquidity: Liquidity;
  reason: string;
  changes: OrderChanges | undefined;
  /** For maker fills: the visible quantity ahead of the order when it joined the queue. */
  queueAtArrival: number;
}
