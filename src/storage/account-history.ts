import type { SqlClient } from './sql-client.js';

export interface StoredOrder {
  readonly id: string;
  readonly instrumentId: string;
  readonly strategyId: string;
  readonly side: string;
  readonly type: string;
  readonly quantity: number;
  readonly price: number | null;
  readonly status: string;
  readonly filledQuantity: number;
  readonly averageFillPrice: number;
  readonly createdTs: number;
  readonly updatedTs: number;
}

export interface StoredFill {
  readonly id: string;
  readonly orderId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  /** Null for fills recorded by the trading node (its fill records do not carry it). */
  readonly realizedPnl: number | null;
  readonly ts: number;
}

export interface StoredPosition {
  readonly instrumentId: string;
  readonly quantity: number;
  readonly averagePrice: number;
  readonly realizedPnl: number;
  readonly updatedTs: number;
}

export interface StoredSnapshot {
  readonly ts: number;
  readonly cash: number;
  readonly totalValue: number;
  readonly positions: Record<string, unknown>;
  /** Null for the trading node's per-bar snapshots (not computed there). */
  readonly dailyPnl: number | null;
  readonly maxDrawdown: number | null;
}

export interface AccountHistory {
  readonly orders: StoredOrder[];
  readonly fills: StoredFill[];
  readonly positions: StoredPosition[];
  readonly snapshots: StoredSnapshot[];
}

/** Everything the journal stored for one account (or backtest run), in time order. */
export async function loadAccountHistory(client: SqlClient, accountId: string): Promise<AccountHistory> {
  const orders = await client.query(
    `SELECT id, instrument_id AS "instrumentId", strategy_id AS "strategyId", side, type, quantity, price, status,
       filled_quantity AS "filledQuantity", average_fill_price AS "averageFillPrice", created_ts AS "createdTs", updated_ts AS "updatedTs"
     FROM orders WHERE account_id = $1 ORDER BY created_ts, id`,
    [accountId],
  );
  const fills = await client.query(
    `SELECT id, order_id AS "orderId", instrument_id AS "instrumentId", side, quantity, price, fee, realized_pnl AS "realizedPnl", ts
     FROM fills WHERE account_id = $1 ORDER BY ts, id`,
    [accountId],
  );
  const positions = await client.query(
    `SELECT instrument_id AS "instrumentId", quantity, average_price AS "averagePrice", realized_pnl AS "realizedPnl", updated_ts AS "updatedTs"
     FROM positions WHERE account_id = $1 ORDER BY instrument_id`,
    [accountId],
  );
  const snapshots = await client.query(
    `SELECT ts, cash, total_value AS "totalValue", positions, daily_pnl AS "dailyPnl", max_drawdown AS "maxDrawdown"
     FROM portfolio_snapshots WHERE account_id = $1 ORDER BY ts`,
    [accountId],
  );
  return {
    orders: orders as unknown as StoredOrder[],
    fills: fills as unknown as StoredFill[],
    positions: positions as unknown as StoredPosition[],
    snapshots: snapshots as unknown as StoredSnapshot[],
  };
}
