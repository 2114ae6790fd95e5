import type { Fill, Order, Position } from '../model/index.js';
import type { SqlClient, SqlSession } from './sql-client.js';

/** The portfolio at one instant, as the dashboard and reports read it. */
export interface PortfolioSnapshotRecord {
  readonly ts: number;
  readonly cash: number;
  readonly totalValue: number;
  /** Positions by instrument id, e.g. `{ "BTCUSDT.BINANCE": { quantity, averagePrice, unrealizedPnl } }`. */
  readonly positions: Readonly<Record<string, unknown>>;
  readonly dailyPnl: number;
  readonly maxDrawdown: number;
}

/** The fields of an Order that are stored (an `Order` object satisfies it). */
export type OrderState = Pick<
  Order,
  | 'id'
  | 'clientOrderId'
  | 'instrumentId'
  | 'strategyId'
  | 'side'
  | 'type'
  | 'timeInForce'
  | 'quantity'
  | 'price'
  | 'triggerPrice'
  | 'status'
  | 'filledQuantity'
  | 'averageFillPrice'
  | 'postOnly'
  | 'reduceOnly'
  | 'tag'
  | 'reason'
  | 'createdAt'
  | 'updatedAt'
>;
/** The fields of a Position that are stored (a `Position` object satisfies it). */
export type PositionState = Pick<
  Position,
  'instrumentId' | 'quantity' | 'averagePrice' | 'realizedPnl' | 'fees' | 'funding' | 'openedAt'
>;

/** One execution event: the order as it now is, and what it changed. */
export interface ExecutionRecord {
  /** A backtest run's id or a live account such as `binance:main`; order and fill ids are unique within it. */
  readonly accountId: string;
  readonly order: OrderState;
  readonly fill?: Fill;
  readonly position?: PositionState;
  readonly snapshot?: PortfolioSnapshotRecord;
}

/**
 * Writes an execution event in ONE transaction: the order's new state, its fill, the position after it
 * and a portfolio snapshot all land, or none do, so a crash never leaves a fill without its position.
 * Replaying an event is harmless: the fill is keyed by id, and an order or position row only moves
 * forward in time (an older update never overwrites a newer one).
 */
export function recordExecution(client: SqlClient, ev: ExecutionRecord): Promise<void> {
  return client.transaction((tx) => writeExecution(tx, ev));
}

export async function writeExecution(tx: SqlSession, ev: ExecutionRecord): Promise<void> {
  const o = ev.order;
  await tx.query(
    `INSERT INTO orders (account_id, id, client_order_id, instrument_id, strategy_id, side, type, time_in_force, quantity, price,
       trigger_price, status, filled_quantity, average_fill_price, post_only, reduce_only, tag, reason, created_ts, updated_ts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (account_id, id) DO UPDATE SET quantity = excluded.quantity, price = excluded.price,
       trigger_price = excluded.trigger_price, status = excluded.status, filled_quantity = excluded.filled_quantity,
       average_fill_price = excluded.average_fill_price, reason = excluded.reason, updated_ts = excluded.updated_ts
     WHERE orders.updated_ts <= excluded.updated_ts`,
    [
      ev.accountId,
      o.id,
      o.clientOrderId,
      o.instrumentId,
      o.strategyId,
      o.side,
      o.type,
      o.timeInForce,
      o.quantity,
      o.price ?? null,
      o.triggerPrice ?? null,
      o.status,
      o.filledQuantity,
      o.averageFillPrice,
      o.postOnly,
      o.reduceOnly,
      o.tag ?? null,
      o.reason ?? null,
      o.createdAt,
      o.updatedAt,
    ],
  );
  const f = ev.fill;
  if (f)
    await tx.query(
      `INSERT INTO fills (account_id, id, order_id, strategy_id, instrument_id, side, quantity, price, fee, fee_currency, liquidity, realized_pnl, ts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (account_id, id) DO NOTHING`,
      [
        ev.accountId,
        f.id,
        f.orderId,
        f.strategyId,
        f.instrumentId,
        f.side,
        f.quantity,
        f.price,
        f.fee,
        f.feeCurrency,
        f.liquidity,
        f.realizedPnl,
        f.ts,
      ],
    );
  const p = ev.position;
  if (p)
    await tx.query(
      `INSERT INTO positions (account_id, instrument_id, quantity, average_price, realized_pnl, fees, funding, opened_ts, updated_ts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (account_id, instrument_id) DO UPDATE SET quantity = excluded.quantity, average_price = excluded.average_price,
         realized_pnl = excluded.realized_pnl, fees = excluded.fees, funding = excluded.funding, opened_ts = excluded.opened_ts,
         updated_ts = excluded.updated_ts
       WHERE positions.updated_ts <= excluded.updated_ts`,
      [
        ev.accountId,
        p.instrumentId,
        p.quantity,
        p.averagePrice,
        p.realizedPnl,
        p.fees,
        p.funding,
        p.openedAt,
        f?.ts ?? o.updatedAt,
      ],
    );
  const s = ev.snapshot;
  if (s) await writeSnapshot(tx, ev.accountId, s);
}

async function writeSnapshot(tx: SqlSession, accountId: string, s: PortfolioSnapshotRecord): Promise<void> {
  await tx.query(
    `INSERT INTO portfolio_snapshots (account_id, ts, cash, total_value, positions, daily_pnl, max_drawdown)
     VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7)
     ON CONFLICT (account_id, ts) DO UPDATE SET cash = excluded.cash, total_value = excluded.total_value,
       positions = excluded.positions, daily_pnl = excluded.daily_pnl, max_drawdown = excluded.max_drawdown`,
    [accountId, s.ts, s.cash, s.totalValue, JSON.stringify(s.positions), s.dailyPnl, s.maxDrawdown],
  );
}

/** Records a portfolio snapshot on its own (end of day, periodic marks). */
export function recordPortfolioSnapshot(
  client: SqlClient,
  accountId: string,
  s: PortfolioSnapshotRecord,
): Promise<void> {
  return client.transaction((tx) => writeSnapshot(tx, accountId, s));
}

/**
 * Writes execution events in the order they happened, one transaction each, without making the
 * kernel wait: `journal.record(ev)` from a bus handler, `await journal.flush()` at the end. The first
 * failure stops the journal and is thrown by `flush()` (later events are not written out of order).
 */
export class ExecutionJournal {
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  pending = 0;
  written = 0;
  constructor(private readonly client: SqlClient) {}

  /** Queues an event. The order and position are copied now: the kernel keeps mutating its objects. */
  record(ev: ExecutionRecord): void {
    if (this.failure !== undefined) return;
    ev = {
      ...ev,
      order: copyOrder(ev.order),
      position: ev.position && copyPosition(ev.position),
      fill: ev.fill && { ...ev.fill },
    };
    this.pending++;
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await recordExecution(this.client, ev);
        this.written++;
      } catch (e) {
        this.failure = e;
      } finally {
        this.pending--;
      }
    });
  }

  async flush(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }
}

function copyOrder(o: OrderState): OrderState {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    instrumentId: o.instrumentId,
    strategyId: o.strategyId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    quantity: o.quantity,
    price: o.price,
    triggerPrice: o.triggerPrice,
    status: o.status,
    filledQuantity: o.filledQuantity,
    averageFillPrice: o.averageFillPrice,
    postOnly: o.postOnly,
    reduceOnly: o.reduceOnly,
    tag: o.tag,
    reason: o.reason,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

function copyPosition(p: PositionState): PositionState {
  return {
    instrumentId: p.instrumentId,
    quantity: p.quantity,
    averagePrice: p.averagePrice,
    realizedPnl: p.realizedPnl,
    fees: p.fees,
    funding: p.funding,
    openedAt: p.openedAt,
  };
}
