import type { SqlSession } from '../sql-client.js';

/** Market-data tables: the ones that grow with time and get hypertables or BRIN indexes. */
export const MARKET_DATA_TABLES = [
  'bars',
  'trades',
  'book_snapshots',
  'book_deltas',
  'funding_rates',
] as const;
/** Tick-level tables that a retention policy may drop (bars and funding are small and kept). */
export const TICK_TABLES = ['trades', 'book_snapshots', 'book_deltas'] as const;

const DAY_US = 86_400_000_000;
/** Rows younger than this stay uncompressed (the hot set collectors and live strategies read). */
export const HOT_DAYS = 7;

export type TimeLayout = 'timescaledb' | 'brin';

/**
 * Migration 2: with the `timescaledb` extension, market-data tables become hypertables on their
 * integer µs `ts` column (1-day chunks, compressed once older than HOT_DAYS, segmented by instrument);
 * without it they stay plain tables with a BRIN index on `ts`, which is tiny and suits append-mostly
 * time order. The primary keys already serve per-instrument range reads either way.
 * The choice is recorded in store_settings ('time_layout').
 */
export async function applyTimeLayout(tx: SqlSession): Promise<TimeLayout> {
  const available = await tx.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
  let layout: TimeLayout = 'brin';
  if (available.length > 0) {
    // The extension may be installed but not preloaded (shared_preload_libraries): try, and fall back.
    await tx.exec('SAVEPOINT timescale');
    try {
      await tx.exec(timescaleSql());
      await tx.exec('RELEASE SAVEPOINT timescale');
      layout = 'timescaledb';
    } catch {
      await tx.exec('ROLLBACK TO SAVEPOINT timescale');
    }
  }
  if (layout === 'brin')
    await tx.exec(
      MARKET_DATA_TABLES.map((t) => `CREATE INDEX IF NOT EXISTS ${t}_ts_brin ON ${t} USING brin (ts);`).join(
        '\n',
      ),
    );
  await tx.query(
    `INSERT INTO store_settings (key, value) VALUES ('time_layout', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [layout],
  );
  return layout;
}

function timescaleSql(): string {
  const segmentBy: Record<string, string> = { bars: 'instrument_id, timeframe' };
  const parts = [
    'CREATE EXTENSION IF NOT EXISTS timescaledb;',
    // Policies on an integer time column need to know "now" in the same unit.
    `CREATE OR REPLACE FUNCTION unix_micros_now() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT (extract(epoch FROM now()) * 1000000)::bigint $$;`,
  ];
  for (const t of MARKET_DATA_TABLES) {
    parts.push(
      `SELECT create_hypertable('${t}', 'ts', chunk_time_interval => ${DAY_US}::bigint, migrate_data => true, if_not_exists => true);`,
      `SELECT set_integer_now_func('${t}', 'unix_micros_now', replace_if_exists => true);`,
      `ALTER TABLE ${t} SET (timescaledb.compress, timescaledb.compress_segmentby = '${segmentBy[t] ?? 'instrument_id'}', timescaledb.compress_orderby = 'ts');`,
      `SELECT add_compression_policy('${t}', ${HOT_DAYS * DAY_US}::bigint, if_not_exists => true);`,
    );
  }
  return parts.join('\n');
}

/**
 * Keeps tick-level market data (trades, book snapshots and deltas) for `days`, or forever with `null`.
 * On TimescaleDB this (re)sets a retention policy that drops whole chunks; on plain tables it records
 * the setting, and `pruneTickData` deletes older rows when called (the collector calls it hourly).
 */
export async function setTickRetention(tx: SqlSession, days: number | null): Promise<void> {
  const layout = (
    await tx.query<{ value: string }>(`SELECT value FROM store_settings WHERE key = 'time_layout'`)
  )[0]?.value;
  if (layout === 'timescaledb') {
    for (const t of TICK_TABLES) {
      await tx.exec(`SELECT remove_retention_policy('${t}', if_exists => true);`);
      if (days !== null)
        await tx.exec(`SELECT add_retention_policy('${t}', ${Math.round(days * DAY_US)}::bigint);`);
    }
  }
  if (days === null) await tx.query(`DELETE FROM store_settings WHERE key = 'tick_retention_days'`);
  else
    await tx.query(
      `INSERT INTO store_settings (key, value) VALUES ('tick_retention_days', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [String(days)],
    );
}

/** Deletes tick rows older than the retention setting relative to `nowUs`; returns rows deleted. */
export async function pruneTickData(tx: SqlSession, nowUs: number): Promise<number> {
  const days = (
    await tx.query<{ value: string }>(`SELECT value FROM store_settings WHERE key = 'tick_retention_days'`)
  )[0]?.value;
  if (days === undefined) return 0;
  const cutoff = nowUs - Number(days) * DAY_US;
  let deleted = 0;
  for (const t of TICK_TABLES) {
    const r = await tx.query<{ n: number }>(
      `WITH d AS (DELETE FROM ${t} WHERE ts < $1 RETURNING 1) SELECT count(*) AS n FROM d`,
      [cutoff],
    );
    deleted += r[0]!.n;
  }
  return deleted;
}
