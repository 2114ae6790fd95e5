import { BarSeries, instrumentId as asInstrumentId, invalid } from '../model/index.js';
import { CopyText } from './copy-format.js';
import { type InsertResult, insertIdempotent } from './idempotent-insert.js';
import { type SqlClient, type SqlSession, quoteLiteral } from './sql-client.js';

/** `1m`, `15m`, `1h`, `1d`, `1w`, `1M` (month), `30s`…: a count and a unit. */
const TIMEFRAME = /^[1-9][0-9]*(s|m|h|d|w|M)$/;

export function checkTimeframe(timeframe: string): string {
  if (!TIMEFRAME.test(timeframe))
    throw invalid(
      'timeframe',
      timeframe,
      "must be a count and a unit s, m, h, d, w or M, e.g. '1m', '4h', '1d'",
    );
  return timeframe;
}

export interface BarRange {
  readonly instrumentId: string;
  readonly timeframe: string;
  /** Inclusive start, µs since the epoch (default: the first bar). */
  readonly from?: number;
  /** Exclusive end, µs since the epoch (default: after the last bar). */
  readonly to?: number;
}

/** One stored series, as `data list` shows it. */
export interface StoredBarSeries {
  readonly instrumentId: string;
  readonly timeframe: string;
  readonly rows: number;
  /** First and last bar open time, µs since the epoch. */
  readonly firstTs: number;
  readonly lastTs: number;
  /** Bumped by every write that added rows; the columnar cache is valid while it matches. */
  readonly revision: number;
}

const BAR_SHAPE = {
  table: 'bars',
  columns: ['instrument_id', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume'],
} as const;
const DEFAULT_BATCH = 20_000;

/**
 * Saves bars; rows whose (instrument, timeframe, ts) is already stored are skipped, so importing the
 * same file twice stores each bar once. Each batch is one transaction together with the bar_series
 * row that counts it, so the catalog never disagrees with the table.
 */
export async function saveBars(
  client: SqlClient,
  series: BarSeries,
  timeframe: string,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ inserted: number; skipped: number }> {
  checkTimeframe(timeframe);
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  let inserted = 0;
  for (let a = 0; a < series.length; a += batch) {
    const b = Math.min(series.length, a + batch);
    const text = barsCopyText(series, timeframe, a, b);
    const r = await client.transaction(async (tx) => {
      const res = await insertIdempotent(tx, BAR_SHAPE, text, b - a, {
        instrumentIds: [series.instrumentId],
        timeframe,
        minTs: series.ts[a]!,
        maxTs: series.ts[b - 1]!,
      });
      await recordSeriesWrite(tx, series.instrumentId, timeframe, res);
      return res;
    });
    inserted += r.inserted;
    opts.onProgress?.(b, series.length);
  }
  return { inserted, skipped: series.length - inserted };
}

function barsCopyText(s: BarSeries, timeframe: string, a: number, b: number): string {
  const t = new CopyText();
  const id = s.instrumentId;
  for (let i = a; i < b; i++)
    t.str(id)
      .str(timeframe)
      .int('bars.ts', s.ts[i]!)
      .num('bars.open', s.open[i]!)
      .num('bars.high', s.high[i]!)
      .num('bars.low', s.low[i]!)
      .num('bars.close', s.close[i]!)
      .num('bars.volume', s.volume[i]!)
      .end();
  return t.toString();
}

async function recordSeriesWrite(
  tx: SqlSession,
  instrumentId: string,
  timeframe: string,
  r: InsertResult,
): Promise<void> {
  if (r.inserted === 0) return;
  await tx.query(
    `INSERT INTO bar_series (instrument_id, timeframe, rows, first_ts, last_ts, revision) VALUES ($1, $2, $3, $4, $5, 1)
     ON CONFLICT (instrument_id, timeframe) DO UPDATE SET
       rows = bar_series.rows + excluded.rows,
       first_ts = least(bar_series.first_ts, excluded.first_ts),
       last_ts = greatest(bar_series.last_ts, excluded.last_ts),
       revision = bar_series.revision + 1,
       updated_at = now()`,
    [instrumentId, timeframe, r.inserted, r.minTs, r.maxTs],
  );
}

/**
 * Loads a symbol's bars for a range into the kernel's columnar BarSeries, through the port's
 * `selectColumns` (no row objects, no number parsing); see bar-cache.ts for the faster cached path.
 */
export async function loadBars(
  client: SqlClient | SqlSession,
  range: BarRange,
  opts: { pageSize?: number } = {},
): Promise<BarSeries> {
  const pageSize = opts.pageSize ?? LOAD_PAGE;
  checkTimeframe(range.timeframe);
  const where = [
    `instrument_id = ${quoteLiteral(range.instrumentId)}`,
    `timeframe = ${quoteLiteral(range.timeframe)}`,
  ];
  if (range.from !== undefined) where.push(`ts >= ${checkTs('from', range.from)}`);
  if (range.to !== undefined) where.push(`ts < ${checkTs('to', range.to)}`);
  // Pages of pageSize bars (keyset on ts) keep each result well under PostgreSQL's 1 GB value limit.
  const pages: Float64Array[][] = [];
  let after = Number.NaN;
  for (;;) {
    const cond = Number.isNaN(after) ? where : [...where, `ts > ${after}`];
    const page = await client.selectColumns(
      `SELECT ts, open, high, low, close, volume FROM bars WHERE ${cond.join(' AND ')} ORDER BY ts LIMIT ${pageSize}`,
      BAR_TYPES,
    );
    pages.push(page);
    const n = page[0]!.length;
    if (n < pageSize) break;
    after = page[0]![n - 1]!;
  }
  const [ts, open, high, low, close, volume] = pages.length === 1 ? pages[0]! : concatPages(pages);
  return new BarSeries(asInstrumentId(range.instrumentId), {
    ts: ts!,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: volume!,
  });
}

const BAR_TYPES = ['int8', 'float8', 'float8', 'float8', 'float8', 'float8'] as const;
const LOAD_PAGE = 2_000_000;

function concatPages(pages: Float64Array[][]): Float64Array[] {
  const n = pages.reduce((a, p) => a + p[0]!.length, 0);
  return BAR_TYPES.map((_, c) => {
    const out = new Float64Array(n);
    let at = 0;
    for (const p of pages) {
      out.set(p[c]!, at);
      at += p[c]!.length;
    }
    return out;
  });
}

function checkTs(field: string, x: number): number {
  if (!Number.isSafeInteger(x)) throw invalid(field, x, 'must be integer µs since the epoch');
  return x;
}

/** Every stored bar series (or those of one instrument), ordered by instrument and timeframe. */
export async function listBarSeries(client: SqlClient, instrumentId?: string): Promise<StoredBarSeries[]> {
  const rows = await client.query<{
    instrument_id: string;
    timeframe: string;
    rows: number;
    first_ts: number;
    last_ts: number;
    revision: number;
  }>(
    `SELECT instrument_id, timeframe, rows, first_ts, last_ts, revision FROM bar_series
     WHERE $1::text IS NULL OR instrument_id = $1::text ORDER BY instrument_id, timeframe`,
    [instrumentId ?? null],
  );
  return rows.map((r) => ({
    instrumentId: r.instrument_id,
    timeframe: r.timeframe,
    rows: r.rows,
    firstTs: r.first_ts,
    lastTs: r.last_ts,
    revision: r.revision,
  }));
}

/** The series' revision, or 0 when nothing is stored for it. */
export async function barSeriesRevision(
  client: SqlClient,
  instrumentId: string,
  timeframe: string,
): Promise<number> {
  const r = await client.query<{ revision: number }>(
    `SELECT revision FROM bar_series WHERE instrument_id = $1 AND timeframe = $2`,
    [instrumentId, timeframe],
  );
  return r[0]?.revision ?? 0;
}
