import type { SqlSession, SqlValue } from './sql-client.js';

export interface TableShape {
  readonly table: string;
  readonly columns: readonly string[];
}

/** Which rows a batch touches: its instruments (and, for bars, its timeframe) and its time range. */
export interface BatchScope {
  readonly instrumentIds: readonly string[];
  readonly timeframe?: string;
  readonly minTs: number;
  readonly maxTs: number;
  /** The batch may repeat a key within itself (forces the staged path; a COPY would be rejected). */
  readonly repeatsKeys?: boolean;
}

export interface InsertResult {
  /** Rows that were new; rows whose key was already stored are skipped. */
  readonly inserted: number;
  /** Smallest and largest `ts` among the inserted rows (NaN when none). */
  readonly minTs: number;
  readonly maxTs: number;
}

/**
 * Writes a batch of COPY-text rows into `shape.table` inside the caller's transaction so that
 * re-running an import never duplicates a row.
 *
 * Fast path (fresh data, the common case): under a per-table, per-instrument advisory lock, if no
 * stored row of the batch's instruments falls in its time range, COPY goes straight into the table.
 * Otherwise COPY goes into a per-session temporary stage and `INSERT … SELECT … ON CONFLICT DO NOTHING`
 * keeps only new rows. We never let a COPY hit a unique violation on purpose: postgres.js 3.4 never
 * settles the COPY stream when the server rejects it (porsager/postgres#1173), which would hang the
 * transaction. The lock makes the check-then-COPY safe against concurrent writers of the same instrument.
 */
export async function insertIdempotent(
  tx: SqlSession,
  shape: TableShape,
  text: string,
  rows: number,
  scope: BatchScope,
): Promise<InsertResult> {
  if (rows === 0) return { inserted: 0, minTs: Number.NaN, maxTs: Number.NaN };
  const ids = [...new Set(scope.instrumentIds)].sort();
  for (const id of ids)
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`tickerml.ingest.${shape.table}.${id}`]);
  const params: SqlValue[] = [scope.minTs, scope.maxTs];
  let filter: string;
  if (ids.length === 1) {
    params.push(ids[0]!);
    filter = 'instrument_id = $3';
  } else {
    filter = `instrument_id IN (${ids.map((id) => `$${params.push(id)}`).join(', ')})`;
  }
  if (scope.timeframe !== undefined) filter += ` AND timeframe = $${params.push(scope.timeframe)}`;
  const clash = await tx.query(
    `SELECT 1 FROM ${shape.table} WHERE ${filter} AND ts BETWEEN $1 AND $2 LIMIT 1`,
    params,
  );
  if (clash.length === 0 && !scope.repeatsKeys) {
    await tx.copyFrom(shape.table, shape.columns, text);
    return { inserted: rows, minTs: scope.minTs, maxTs: scope.maxTs };
  }
  const stage = `stage_${shape.table}`;
  const cols = shape.columns.join(', ');
  await tx.exec(
    `CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${shape.table}) ON COMMIT DELETE ROWS; TRUNCATE ${stage};`,
  );
  await tx.copyFrom(stage, shape.columns, text);
  const r = await tx.query<{ n: number; lo: number | null; hi: number | null }>(
    `WITH ins AS (INSERT INTO ${shape.table} (${cols}) SELECT ${cols} FROM ${stage} ON CONFLICT DO NOTHING RETURNING ts)
     SELECT count(*) AS n, min(ts) AS lo, max(ts) AS hi FROM ins`,
  );
  const row = r[0]!;
  return { inserted: row.n, minTs: row.lo ?? Number.NaN, maxTs: row.hi ?? Number.NaN };
}
