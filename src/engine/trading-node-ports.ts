import type { OrderSide, OrderStatus, OrderType, TimeInForce, UnixMicros } from '../model/index.js';

/** One bar from a market data feed, with its position in the source (for resuming a replay). */
export interface FeedBar {
  readonly instrumentId: string;
  /** The bar's own open time in the source data (µs); the node stamps bars with its clock on arrival. */
  readonly sourceTs: UnixMicros;
  /** Index of the bar in the source (replay cursor); -1 for live feeds. */
  readonly sourceIndex: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Where bars come from: a replay of bundled history or a live exchange stream. Implemented in src/adapters. */
export interface BarFeed {
  /** 'replay' is never live market data; the node says so in its log and status. */
  readonly kind: 'replay' | 'live';
  /** One line for logs and the API, e.g. "replay of examples/data/GOOG.csv at 1 bar / 500 ms". */
  readonly description: string;
  /** Starts pushing bars; `resume` maps instrument id → next source index (after a restart). */
  start(sink: (bar: FeedBar) => void, resume: ReadonlyMap<string, number>): void;
  stop(): void;
  /** True when every source is exhausted (replay only). */
  readonly finished: boolean;
}

/** An order as the node records and serves it (a plain object; the kernel's Order is live state). */
export interface OrderRecord {
  readonly id: string;
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly quantity: number;
  readonly price: number | null;
  readonly triggerPrice: number | null;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly averageFillPrice: number;
  readonly reason: string | null;
  readonly tag: string | null;
  readonly createdAt: UnixMicros;
  readonly updatedAt: UnixMicros;
}

export interface FillRecord {
  readonly id: string;
  readonly orderId: string;
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: UnixMicros;
}

export interface PositionRecord {
  readonly instrumentId: string;
  readonly quantity: number;
  readonly averagePrice: number;
  readonly lastPrice: number | null;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
}

/** The account after a bar: equity curve point plus where the replay stood. */
export interface PortfolioSnapshot {
  readonly ts: UnixMicros;
  readonly step: number;
  readonly cash: number;
  readonly equity: number;
  readonly grossExposure: number;
  readonly positions: readonly PositionRecord[];
  /** Next source index per instrument (replay cursor). */
  readonly cursors: Readonly<Record<string, number>>;
}

export interface StrategyStateRecord {
  readonly id: string;
  readonly enabled: boolean;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What the node writes as it happens. Recovery folds these in order (recoverState). */
export type NodeRecord =
  | { readonly type: 'order'; readonly order: OrderRecord }
  | { readonly type: 'fill'; readonly fill: FillRecord }
  | { readonly type: 'snapshot'; readonly snapshot: PortfolioSnapshot }
  | { readonly type: 'strategy'; readonly strategy: StrategyStateRecord };

/**
 * The node's persistence port. `append` is called synchronously from the event path, in event order.
 * A store is durable for a record once `flush()` has resolved after its append (the journal has the record
 * in the file on return from append, so it survives the process's death, and on disk after its group-commit
 * fsync; a SQL store may batch). The API awaits flush() before acknowledging an order.
 */
export interface StateStore {
  append(record: NodeRecord): void;
  flush(): Promise<void>;
  /**
   * Resolves once every record appended so far survives the death of the process (SIGKILL), not
   * necessarily a power loss: the journal at once (its records are in the file on return from append), a
   * SQL store once they are committed. The API awaits it before answering a read, so it never shows a
   * record a crash could lose.
   */
  persisted(): Promise<void>;
  /** Every record appended so far, in order (recovery). */
  load(): Promise<NodeRecord[]>;
  close(): Promise<void>;
  /** Human description for status/logs, e.g. "journal data/node.journal". */
  readonly description: string;
}

/** The state a node resumes from, folded from its records. */
export interface RecoveredState {
  readonly orders: Map<string, OrderRecord>;
  readonly fills: FillRecord[];
  readonly snapshots: PortfolioSnapshot[];
  readonly strategies: Map<string, StrategyStateRecord>;
  readonly lastSnapshot: PortfolioSnapshot | undefined;
}

/** Folds records (oldest first) into the latest state: orders by id (last write wins), fills in order. */
export function recoverState(records: readonly NodeRecord[], keepSnapshots = 5000): RecoveredState {
  const orders = new Map<string, OrderRecord>();
  const fills: FillRecord[] = [];
  const snapshots: PortfolioSnapshot[] = [];
  const strategies = new Map<string, StrategyStateRecord>();
  const fillIds = new Set<string>();
  for (const r of records) {
    switch (r.type) {
      case 'order':
        orders.set(r.order.id, r.order);
        break;
      case 'fill':
        if (!fillIds.has(r.fill.id)) {
          fillIds.add(r.fill.id);
          fills.push(r.fill);
        }
        break;
      case 'snapshot':
        snapshots.push(r.snapshot);
        break;
      case 'strategy':
        strategies.set(r.strategy.id, r.strategy);
        break;
    }
  }
  const kept = snapshots.length > keepSnapshots ? snapshots.slice(-keepSnapshots) : snapshots;
  return { orders, fills, snapshots: kept, strategies, lastSnapshot: snapshots[snapshots.length - 1] };
}

/** A store that keeps records in memory (tests; a node that need not survive a restart). */
export class MemoryStateStore implements StateStore {
  readonly records: NodeRecord[] = [];
  readonly description = 'memory (not durable)';
  append(record: NodeRecord): void {
    this.records.push(record);
  }
  async flush(): Promise<void> {}
  async persisted(): Promise<void> {}
  async load(): Promise<NodeRecord[]> {
    return [...this.records];
  }
  async close(): Promise<void> {}
}
