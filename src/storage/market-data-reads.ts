import type { BookUpdateRecord, FundingRateRecord, Level, TradeRecord } from './market-data-repository.js';
import type { SqlClient } from './sql-client.js';

export interface TickRange {
  readonly instrumentId: string;
  /** Inclusive start and exclusive end, µs since the epoch. */
  readonly from?: number;
  readonly to?: number;
}

function rangeParams(r: TickRange): [string, number, number] {
  return [r.instrumentId, r.from ?? Number.MIN_SAFE_INTEGER, r.to ?? Number.MAX_SAFE_INTEGER];
}

/** Trades of one instrument in time order (ties by trade id). */
export async function loadTrades(client: SqlClient, range: TickRange): Promise<TradeRecord[]> {
  const rows = await client.query<{
    ts: number;
    trade_id: string;
    price: number;
    size: number;
    side: string | null;
    recv_ts: number | null;
  }>(
    `SELECT ts, trade_id, price, size, side, recv_ts FROM trades WHERE instrument_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, trade_id`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    instrumentId: range.instrumentId,
    ts: r.ts,
    tradeId: r.trade_id,
    price: r.price,
    size: r.size,
    aggressor: r.side === 'buy' ? 1 : r.side === 'sell' ? -1 : 0,
    ...(r.recv_ts === null ? {} : { tsRecv: r.recv_ts }),
  }));
}

/** Book updates (deltas) of one instrument in time and sequence order. */
export async function loadBookUpdates(client: SqlClient, range: TickRange): Promise<BookUpdateRecord[]> {
  const rows = await client.query<{
    ts: number;
    seq: number;
    bids: Level[];
    asks: Level[];
    mid: number | null;
    spread: number | null;
    recv_ts: number | null;
  }>(
    `SELECT ts, seq, bids, asks, mid, spread, recv_ts FROM book_deltas WHERE instrument_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, seq`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    instrumentId: range.instrumentId,
    ts: r.ts,
    sequence: r.seq,
    bids: r.bids,
    asks: r.asks,
    ...(r.mid === null ? {} : { mid: r.mid }),
    ...(r.spread === null ? {} : { spread: r.spread }),
    ...(r.recv_ts === null ? {} : { tsRecv: r.recv_ts }),
  }));
}

export async function loadFundingRates(client: SqlClient, range: TickRange): Promise<FundingRateRecord[]> {
  const rows = await client.query<{
    ts: number;
    rate: number;
    funding_ts: number | null;
    mark_price: number | null;
    recv_ts: number | null;
  }>(
    `SELECT ts, rate, funding_ts, mark_price, recv_ts FROM funding_rates WHERE instrument_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    instrumentId: range.instrumentId,
    ts: r.ts,
    rate: r.rate,
    ...(r.funding_ts === null ? {} : { fundingTs: r.funding_ts }),
    ...(r.mark_price === null ? {} : { markPrice: r.mark_price }),
    ...(r.recv_ts === null ? {} : { tsRecv: r.recv_ts }),
  }));
}
