import type {
  FillRecord,
  NodeRecord,
  OrderRecord,
  PortfolioSnapshot,
  PositionRecord,
  StateStore,
} from '../engine/trading-node-ports.js';
import { recoverState } from '../engine/trading-node-ports.js';
import { type StoreOptions, openStore } from './open-store.js';
import type { SqlClient, SqlSession } from './sql-client.js';

/** The trading node's embedded database, under its data directory (`tickerml run --state store`). */
export const NODE_PGLITE_DIR = 'node-pglite';

export interface StoreStateStoreOptions {
  /** The account the node's rows belong to (order and fill ids are counters per node). */
  readonly accountId: string;
  /** Snapshots load() returns (the newest ones; recovery keeps 5000). */
  readonly keepSnapshots?: number;
  /** Close the client on close() (true when the store opened it). */
  readonly ownsClient?: boolean;
  /** Called when a background write fails (the records stay buffered and are retried). */
  readonly onError?: (e: unknown) => void;
  /** Wait before retrying a failed background write (default 1000 ms). */
  readonly retryMs?: number;
}

/**
 * The trading node's state in the store (PGlite or PostgreSQL): orders, fills, positions, portfolio
 * snapshots and strategy states, keyed by account.
 *
 * `append()` (synchronous, on the node's event path) only buffers the record. Buffered records are written
 * in ONE transaction per batch: by a write scheduled with setImmediate after the first record of a batch
 * (so records reach the database within one event-loop turn of being appended), and by `flush()`, which
 * resolves once every record appended before it is committed and rejects if that fails. The API awaits
 * flush() before acknowledging an order, so an acknowledged order is committed. Batches commit in append
 * order, one at a time; a failed batch stays at the head of the buffer and is retried (by the next flush(),
 * or in the background after `retryMs`). Re-writing a batch is harmless: orders are upserted (the last
 * record of an id wins), fills inserted once per id, snapshots upserted by time, strategies upserted.
 */
export class StoreStateStore implements StateStore {
  readonly description: string;
  private buffer: NodeRecord[] = [];
  private appended = 0;
  private committed = 0;
  private inFlight: Promise<void> | undefined = undefined;
  private scheduled = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private lastError: unknown = undefined;
  private closed = false;
  /** Transactions committed (batches). */
  batches = 0;

  constructor(
    readonly client: SqlClient,
    private readonly opts: StoreStateStoreOptions,
  ) {
    const where = client.driver === 'pglite' ? `PGlite ${client.target}` : `PostgreSQL ${client.target}`;
    this.description = `store ${where}, schema ${client.schema}, account ${opts.accountId} (one transaction per event-loop turn; orders committed before the API acknowledges them)`;
  }

  /** Opens the store (DATABASE_URL or `databaseUrl`: PostgreSQL; else PGlite under `dataDir`), migrating it. */
  static async open(
    opts: StoreOptions & Omit<StoreStateStoreOptions, 'ownsClient'>,
  ): Promise<StoreStateStore> {
    const client = await openStore(opts);
    return new StoreStateStore(client, { ...opts, ownsClient: true });
  }

  append(record: NodeRecord): void {
    if (this.closed) throw new Error(`state store (${this.description}) is closed`);
    this.buffer.push(record);
    this.appended++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    }
  }

  /** Resolves once every record appended before the call is committed; rejects if writing them failed. */
  async flush(): Promise<void> {
    const target = this.appended;
    while (this.committed < target) {
      await this.drain();
      if (this.committed < target && this.lastError !== undefined) throw this.lastError;
    }
  }

  /**
   * Commits everything appended so far, including records appended while it waits (up to 5 rounds: a
   * busy feed must not keep a reader waiting for ever).
   */
  async persisted(): Promise<void> {
    for (let round = 0; round < 5 && this.committed < this.appended; round++) await this.flush();
  }

  /** Records not yet committed. */
  get pending(): number {
    return this.appended - this.committed;
  }

  /** True while a transaction is being written. */
  get writing(): boolean {
    return this.inFlight !== undefined;
  }

  /** Writes buffered batches until the buffer is empty or a write fails (one writer at a time). */
  private drain(): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.inFlight ??= this.writeLoop().finally(() => {
      this.inFlight = undefined;
      // Records appended between the loop's last look at the buffer and here.
      if (this.buffer.length > 0 && this.lastError === undefined) void this.drain();
    });
    return this.inFlight;
  }

  private async writeLoop(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      try {
        await this.client.transaction((tx) => writeBatch(tx, this.opts.accountId, batch));
      } catch (e) {
        this.buffer = batch.concat(this.buffer);
        this.lastError = e;
        this.opts.onError?.(e);
        if (!this.closed) {
          this.retryTimer = setTimeout(() => void this.drain(), this.opts.retryMs ?? 1000);
          this.retryTimer.unref();
        }
        return;
      }
      this.lastError = undefined;
      this.committed += batch.length;
      this.batches++;
    }
  }

  /**
   * What recovery needs (after committing anything buffered): every order in its last state, every fill
   * in the order it was recorded, the newest `keepSnapshots` snapshots, every strategy's state.
   */
  async load(): Promise<NodeRecord[]> {
    await this.flush();
    const account = this.opts.accountId;
    const keep = this.opts.keepSnapshots ?? 5000;
    const out: NodeRecord[] = [];
    const orders = await this.client.query<OrderRow>(
      `SELECT id, client_order_id, strategy_id, instrument_id, side, type, time_in_force, quantity, price, trigger_price,
         reduce_only, status, filled_quantity, average_fill_price, reason, tag, created_ts, updated_ts
       FROM orders WHERE account_id = $1 ORDER BY created_ts, length(id), id`,
      [account],
    );
    for (const r of orders) out.push({ type: 'order', order: orderFromRow(r) });
    const fills = await this.client.query<FillRow>(
      `SELECT id, order_id, strategy_id, instrument_id, side, quantity, price, fee, fee_currency, liquidity, ts
       FROM fills WHERE account_id = $1 ORDER BY seq NULLS FIRST, ts, length(id), id`,
      [account],
    );
    for (const r of fills) out.push({ type: 'fill', fill: fillFromRow(r) });
    const snaps = await this.client.query<SnapshotRow>(
      `SELECT * FROM (
         SELECT ts, step, cash, total_value, gross_exposure, positions::text AS positions, cursors::text AS cursors
         FROM portfolio_snapshots WHERE account_id = $1 AND step IS NOT NULL ORDER BY ts DESC LIMIT $2
       ) s ORDER BY ts`,
      [account, keep],
    );
    for (const r of snaps) out.push({ type: 'snapshot', snapshot: snapshotFromRow(r) });
    const strategies = await this.client.query<{ strategy_id: string; enabled: boolean; params: string }>(
      `SELECT strategy_id, enabled, params::text AS params FROM strategy_states WHERE account_id = $1 ORDER BY strategy_id`,
      [account],
    );
    for (const r of strategies)
      out.push({
        type: 'strategy',
        strategy: {
          id: r.strategy_id,
          enabled: r.enabled,
          params: JSON.parse(r.params) as Record<string, unknown>,
        },
      });
    return out;
  }

  /** Commits what is buffered, then closes the client if the store opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      if (this.opts.ownsClient) await this.client.close();
    }
  }
}

/** One batch in one transaction: a statement per table, rows passed as one JSON array each. */
async function writeBatch(tx: SqlSession, account: string, batch: readonly NodeRecord[]): Promise<void> {
  // The batch folded as recovery folds records: an order's last record wins, a fill id counts once.
  const { orders, fills, snapshots, strategies } = recoverState(batch, Infinity);
  // Orders before fills: a fill row references its order (the node records a fill just before the order
  // state that reports it; inside one transaction the order of statements is invisible to readers).
  if (orders.size > 0)
    await tx.query(
      `INSERT INTO orders (account_id, id, client_order_id, instrument_id, strategy_id, side, type, time_in_force, quantity,
         price, trigger_price, status, filled_quantity, average_fill_price, post_only, reduce_only, tag, reason, created_ts, updated_ts)
       SELECT $1, o.id, o."clientOrderId", o."instrumentId", o."strategyId", o.side, o.type, o."timeInForce", o.quantity,
         o.price, o."triggerPrice", o.status, o."filledQuantity", o."averageFillPrice", false, o."reduceOnly", o.tag, o.reason,
         o."createdAt", o."updatedAt"
       FROM jsonb_to_recordset($2::text::jsonb) AS o(id text, "clientOrderId" text, "instrumentId" text, "strategyId" text,
         side text, type text, "timeInForce" text, quantity float8, price float8, "triggerPrice" float8, status text,
         "filledQuantity" float8, "averageFillPrice" float8, "reduceOnly" boolean, tag text, reason text,
         "createdAt" bigint, "updatedAt" bigint)
       ON CONFLICT (account_id, id) DO UPDATE SET client_order_id = excluded.client_order_id,
         instrument_id = excluded.instrument_id, strategy_id = excluded.strategy_id, side = excluded.side, type = excluded.type,
         time_in_force = excluded.time_in_force, quantity = excluded.quantity, price = excluded.price,
         trigger_price = excluded.trigger_price, status = excluded.status, filled_quantity = excluded.filled_quantity,
         average_fill_price = excluded.average_fill_price, reduce_only = excluded.reduce_only, tag = excluded.tag,
         reason = excluded.reason, created_ts = excluded.created_ts, updated_ts = excluded.updated_ts`,
      [account, JSON.stringify([...orders.values()])],
    );
  if (fills.length > 0)
    await tx.query(
      `INSERT INTO fills (account_id, id, order_id, strategy_id, instrument_id, side, quantity, price, fee, fee_currency,
         liquidity, realized_pnl, ts, seq)
       SELECT $1, f.id, f."orderId", f."strategyId", f."instrumentId", f.side, f.quantity, f.price, f.fee, f."feeCurrency",
         f.liquidity, NULL, f.ts,
         (SELECT coalesce(max(seq), 0) FROM fills WHERE account_id = $1) + row_number() OVER (ORDER BY f.n)
       FROM jsonb_to_recordset($2::text::jsonb) AS f(id text, "orderId" text, "strategyId" text,
         "instrumentId" text, side text, quantity float8, price float8, fee float8, "feeCurrency" text, liquidity text,
         ts bigint, n bigint)
       WHERE NOT EXISTS (SELECT 1 FROM fills x WHERE x.account_id = $1 AND x.id = f.id)
       ON CONFLICT (account_id, id) DO NOTHING`,
      [account, JSON.stringify(fills.map((f, n) => ({ ...f, n })))],
    );
  if (snapshots.length > 0) {
    await tx.query(
      `INSERT INTO portfolio_snapshots (account_id, ts, step, cash, total_value, gross_exposure, positions, cursors,
         daily_pnl, max_drawdown)
       SELECT $1, s.ts, s.step, s.cash, s.equity, s."grossExposure", s.positions, s.cursors, NULL, NULL
       FROM jsonb_to_recordset($2::text::jsonb) AS s(ts bigint, step bigint, cash float8, equity float8,
         "grossExposure" float8, positions jsonb, cursors jsonb)
       ON CONFLICT (account_id, ts) DO UPDATE SET step = excluded.step, cash = excluded.cash,
         total_value = excluded.total_value, gross_exposure = excluded.gross_exposure, positions = excluded.positions,
         cursors = excluded.cursors`,
      [account, JSON.stringify(snapshots.map(snapshotRow))],
    );
    // The positions table mirrors the newest snapshot of the batch (recovery derives positions from the
    // fills; this is for readers of the store). opened_ts is when the position was first seen open.
    const last = snapshots[snapshots.length - 1]!;
    if (last.positions.length > 0)
      await tx.query(
        `INSERT INTO positions (account_id, instrument_id, quantity, average_price, realized_pnl, fees, funding,
           opened_ts, updated_ts)
         SELECT $1, p."instrumentId", p.quantity, p."averagePrice", p."realizedPnl", p.fees, 0, $3, $3
         FROM jsonb_to_recordset($2::text::jsonb) AS p("instrumentId" text, quantity float8, "averagePrice" float8,
           "realizedPnl" float8, fees float8)
         ON CONFLICT (account_id, instrument_id) DO UPDATE SET quantity = excluded.quantity,
           average_price = excluded.average_price, realized_pnl = excluded.realized_pnl, fees = excluded.fees,
           opened_ts = CASE WHEN sign(positions.quantity) = sign(excluded.quantity) THEN positions.opened_ts
                            ELSE excluded.opened_ts END,
           updated_ts = excluded.updated_ts
         WHERE positions.updated_ts <= excluded.updated_ts`,
        [account, JSON.stringify(last.positions), last.ts],
      );
  }
  if (strategies.size > 0)
    await tx.query(
      `INSERT INTO strategy_states (account_id, strategy_id, enabled, params, updated_at)
       SELECT $1, s.id, s.enabled, s.params, now()
       FROM jsonb_to_recordset($2::text::jsonb) AS s(id text, enabled boolean, params jsonb)
       ON CONFLICT (account_id, strategy_id) DO UPDATE SET enabled = excluded.enabled, params = excluded.params,
         updated_at = excluded.updated_at`,
      [account, JSON.stringify([...strategies.values()])],
    );
}

/** Positions are stored as an object by instrument id (the shape of every portfolio_snapshots row). */
function snapshotRow(s: PortfolioSnapshot): Record<string, unknown> {
  const positions: Record<string, Omit<PositionRecord, 'instrumentId'>> = {};
  for (const p of s.positions) {
    const { instrumentId, ...rest } = p;
    positions[instrumentId] = rest;
  }
  return { ...s, positions };
}

type OrderRow = {
  id: string;
  client_order_id: string;
  strategy_id: string;
  instrument_id: string;
  side: OrderRecord['side'];
  type: OrderRecord['type'];
  time_in_force: OrderRecord['timeInForce'];
  quantity: number;
  price: number | null;
  trigger_price: number | null;
  reduce_only: boolean;
  status: OrderRecord['status'];
  filled_quantity: number;
  average_fill_price: number;
  reason: string | null;
  tag: string | null;
  created_ts: number;
  updated_ts: number;
};

function orderFromRow(r: OrderRow): OrderRecord {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    strategyId: r.strategy_id,
    instrumentId: r.instrument_id,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    quantity: r.quantity,
    price: r.price,
    triggerPrice: r.trigger_price,
    reduceOnly: r.reduce_only,
    status: r.status,
    filledQuantity: r.filled_quantity,
    averageFillPrice: r.average_fill_price,
    reason: r.reason,
    tag: r.tag,
    createdAt: r.created_ts as OrderRecord['createdAt'],
    updatedAt: r.updated_ts as OrderRecord['updatedAt'],
  };
}

type FillRow = {
  id: string;
  order_id: string;
  strategy_id: string;
  instrument_id: string;
  side: FillRecord['side'];
  quantity: number;
  price: number;
  fee: number;
  fee_currency: string;
  liquidity: FillRecord['liquidity'];
  ts: number;
};

function fillFromRow(r: FillRow): FillRecord {
  return {
    id: r.id,
    orderId: r.order_id,
    strategyId: r.strategy_id,
    instrumentId: r.instrument_id,
    side: r.side,
    quantity: r.quantity,
    price: r.price,
    fee: r.fee,
    feeCurrency: r.fee_currency,
    liquidity: r.liquidity,
    ts: r.ts as FillRecord['ts'],
  };
}

type SnapshotRow = {
  ts: number;
  step: number;
  cash: number;
  total_value: number;
  gross_exposure: number | null;
  positions: string;
  cursors: string | null;
};

function snapshotFromRow(r: SnapshotRow): PortfolioSnapshot {
  const byId = JSON.parse(r.positions) as Record<string, Omit<PositionRecord, 'instrumentId'>>;
  // jsonb keeps object keys in its own order (length, then bytes): positions come back sorted by id.
  const positions: PositionRecord[] = Object.keys(byId)
    .sort()
    .map((id) => ({ instrumentId: id, ...byId[id]! }));
  return {
    ts: r.ts as PortfolioSnapshot['ts'],
    step: r.step,
    cash: r.cash,
    equity: r.total_value,
    grossExposure: r.gross_exposure ?? 0,
    positions,
    cursors: r.cursors === null ? {} : (JSON.parse(r.cursors) as Record<string, number>),
  };
}
