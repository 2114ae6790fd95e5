import type { BookSnapshot } from '../model/index.js';
import { invalid } from '../model/index.js';
import { BatchWriter } from './batch-writer.js';
import { CopyText, levelsJson } from './copy-format.js';
import { type TableShape, insertIdempotent } from './idempotent-insert.js';
import type { SqlClient } from './sql-client.js';

/** A trade print. `aggressor`: 1 the taker bought, -1 sold, 0 unknown (the model's AggressorCode). */
export interface TradeRecord {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv?: number;
  /** The venue's trade id; unique per instrument together with ts. */
  readonly tradeId: string | number;
  readonly price: number;
  readonly size: number;
  readonly aggressor: 1 | -1 | 0;
}

export type Level = readonly [price: number, size: number];

/**
 * One venue book message: the levels it changed (size 0 removes a level), best first. `sequence` is the
 * venue's update id; `mid`/`spread` describe the top of book after it is applied, when the writer knows.
 */
export interface BookUpdateRecord {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv?: number;
  readonly sequence: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  readonly mid?: number;
  readonly spread?: number;
}

export interface FundingRateRecord {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv?: number;
  /** Fraction per funding period; > 0: longs pay shorts. */
  readonly rate: number;
  readonly fundingTs?: number;
  readonly markPrice?: number;
}

const TRADES: TableShape = {
  table: 'trades',
  columns: ['instrument_id', 'ts', 'trade_id', 'price', 'size', 'side', 'recv_ts'],
};
const BOOK_COLUMNS = ['instrument_id', 'ts', 'seq', 'bids', 'asks', 'mid', 'spread', 'recv_ts'];
const DELTAS: TableShape = { table: 'book_deltas', columns: BOOK_COLUMNS };
const SNAPSHOTS: TableShape = { table: 'book_snapshots', columns: BOOK_COLUMNS };
const FUNDING: TableShape = {
  table: 'funding_rates',
  columns: ['instrument_id', 'ts', 'rate', 'funding_ts', 'mark_price', 'recv_ts'],
};

/** Writes rows in one transaction, skipping rows already stored; returns how many were new. */
async function saveRows<T extends { ts: number; instrumentId: string }>(
  client: SqlClient,
  shape: TableShape,
  rows: readonly T[],
  key: (r: T) => string | number,
  add: (t: CopyText, r: T) => void,
): Promise<number> {
  if (rows.length === 0) return 0;
  const t = new CopyText();
  let lo = Infinity;
  let hi = -Infinity;
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const r of rows) {
    add(t, r);
    t.end();
    if (r.ts < lo) lo = r.ts;
    if (r.ts > hi) hi = r.ts;
    ids.add(r.instrumentId);
    keys.add(`${r.instrumentId}\u0000${r.ts}\u0000${key(r)}`);
  }
  const text = t.toString();
  const scope = { instrumentIds: [...ids], minTs: lo, maxTs: hi, repeatsKeys: keys.size < rows.length };
  const res = await client.transaction((tx) => insertIdempotent(tx, shape, text, rows.length, scope));
  return res.inserted;
}

export function saveTrades(client: SqlClient, trades: readonly TradeRecord[]): Promise<number> {
  return saveRows(
    client,
    TRADES,
    trades,
    (r) => r.tradeId,
    (t, r) => {
      if (r.aggressor !== 1 && r.aggressor !== -1 && r.aggressor !== 0)
        throw invalid('trade.aggressor', r.aggressor, 'must be 1, -1 or 0');
      t.str(r.instrumentId)
        .int('trade.ts', r.ts)
        .str(String(r.tradeId))
        .num('trade.price', r.price)
        .num('trade.size', r.size);
      if (r.aggressor === 0) t.nul();
      else t.raw(r.aggressor > 0 ? 'buy' : 'sell');
      t.maybe('trade.tsRecv', r.tsRecv, true);
    },
  );
}

function addBook(t: CopyText, r: BookUpdateRecord, kind: string): void {
  t.str(r.instrumentId)
    .int(`${kind}.ts`, r.ts)
    .int(`${kind}.sequence`, r.sequence)
    .raw(levelsJson(`${kind}.bids`, r.bids))
    .raw(levelsJson(`${kind}.asks`, r.asks))
    .maybe(`${kind}.mid`, r.mid)
    .maybe(`${kind}.spread`, r.spread)
    .maybe(`${kind}.tsRecv`, r.tsRecv, true);
}

export function saveBookUpdates(client: SqlClient, updates: readonly BookUpdateRecord[]): Promise<number> {
  return saveRows(
    client,
    DELTAS,
    updates,
    (r) => r.sequence,
    (t, r) => addBook(t, r, 'bookUpdate'),
  );
}

/** Saves full L2 pictures (the model's BookSnapshot, parallel arrays best first); mid and spread from the top. */
export function saveBookSnapshots(client: SqlClient, snapshots: readonly BookSnapshot[]): Promise<number> {
  return saveRows(
    client,
    SNAPSHOTS,
    snapshots,
    (s) => s.sequence,
    (t, s) => addBook(t, snapshotRecord(s), 'bookSnapshot'),
  );
}

export function snapshotRecord(s: BookSnapshot): BookUpdateRecord {
  const pairs = (p: ArrayLike<number>, q: ArrayLike<number>): Level[] => {
    if (p.length !== q.length)
      throw invalid(
        'bookSnapshot.levels',
        [p.length, q.length],
        'price and size arrays must have the same length',
      );
    const out: Level[] = new Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = [p[i]!, q[i]!];
    return out;
  };
  const bid = s.bidPrices.length > 0 ? s.bidPrices[0]! : Number.NaN;
  const ask = s.askPrices.length > 0 ? s.askPrices[0]! : Number.NaN;
  return {
    instrumentId: s.instrumentId,
    ts: s.ts,
    tsRecv: s.tsRecv,
    sequence: s.sequence,
    bids: pairs(s.bidPrices, s.bidSizes),
    asks: pairs(s.askPrices, s.askSizes),
    mid: (bid + ask) / 2,
    spread: ask - bid,
  };
}

export function saveFundingRates(client: SqlClient, rates: readonly FundingRateRecord[]): Promise<number> {
  return saveRows(
    client,
    FUNDING,
    rates,
    () => '',
    (t, r) => {
      t.str(r.instrumentId)
        .int('funding.ts', r.ts)
        .num('funding.rate', r.rate)
        .maybe('funding.fundingTs', r.fundingTs, true)
        .maybe('funding.markPrice', r.markPrice)
        .maybe('funding.tsRecv', r.tsRecv, true);
    },
  );
}

export interface MarketDataWriterOptions {
  readonly batchSize?: number;
  /** Flush a partial batch after this long (live collectors; default 250 ms). */
  readonly flushAfterMs?: number;
}

/** A batched, backpressured writer of book updates for a live collector: `await w.write(update)`. */
export function bookUpdateWriter(
  client: SqlClient,
  opts: MarketDataWriterOptions = {},
): BatchWriter<BookUpdateRecord> {
  return new BatchWriter({
    writeBatch: (rows) => saveBookUpdates(client, rows),
    batchSize: opts.batchSize ?? 2_000,
    maxInFlight: client.parallelism,
    flushAfterMs: opts.flushAfterMs ?? 250,
  });
}

export function tradeWriter(client: SqlClient, opts: MarketDataWriterOptions = {}): BatchWriter<TradeRecord> {
  return new BatchWriter({
    writeBatch: (rows) => saveTrades(client, rows),
    batchSize: opts.batchSize ?? 5_000,
    maxInFlight: client.parallelism,
    flushAfterMs: opts.flushAfterMs ?? 250,
  });
}
