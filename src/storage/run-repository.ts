import type { InstrumentSpec } from '../model/index.js';
import { TickerError } from '../model/index.js';
import type { SqlClient } from './sql-client.js';

/** Saves or updates an instrument (its full spec is kept as JSON; the main fields as columns). */
export async function saveInstrument(client: SqlClient, spec: InstrumentSpec): Promise<void> {
  await client.query(
    `INSERT INTO instruments (id, venue, symbol, kind, base_currency, quote_currency, tick_size, lot_size, multiplier, spec)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb)
     ON CONFLICT (id) DO UPDATE SET venue = excluded.venue, symbol = excluded.symbol, kind = excluded.kind,
       base_currency = excluded.base_currency, quote_currency = excluded.quote_currency, tick_size = excluded.tick_size,
       lot_size = excluded.lot_size, multiplier = excluded.multiplier, spec = excluded.spec, updated_at = now()`,
    [
      spec.id,
      spec.venue ?? null,
      spec.symbol ?? spec.id,
      spec.kind,
      spec.base,
      spec.quote,
      spec.tickSize,
      spec.lotSize,
      spec.multiplier ?? 1,
      JSON.stringify(spec),
    ],
  );
}

export async function loadInstruments(client: SqlClient): Promise<InstrumentSpec[]> {
  const rows = await client.query<{ spec: InstrumentSpec }>(`SELECT spec FROM instruments ORDER BY id`);
  return rows.map((r) => r.spec);
}

/**
 * Saves a strategy's parameters as a new version when they differ from its latest version, and
 * returns the version that holds them (so a backtest run can point at exactly what it ran).
 */
export async function saveStrategyConfig(
  client: SqlClient,
  cfg: { id: string; strategy: string; params: Record<string, unknown> },
): Promise<number> {
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`tickerml.strategy_config.${cfg.id}`]);
    const json = JSON.stringify(cfg.params);
    const latest = await tx.query<{ version: number; same: boolean }>(
      `SELECT version, (strategy = $2 AND params = $3::text::jsonb) AS same FROM strategy_configs WHERE id = $1 ORDER BY version DESC LIMIT 1`,
      [cfg.id, cfg.strategy, json],
    );
    if (latest[0]?.same) return latest[0].version;
    const version = (latest[0]?.version ?? 0) + 1;
    await tx.query(
      `INSERT INTO strategy_configs (id, version, strategy, params) VALUES ($1, $2, $3, $4::text::jsonb)`,
      [cfg.id, version, cfg.strategy, json],
    );
    return version;
  });
}

export interface BacktestRunStart {
  readonly id: string;
  readonly config: Record<string, unknown>;
  readonly strategyConfig?: { id: string; version: number };
  readonly fromTs?: number;
  readonly toTs?: number;
  readonly seed?: number;
}

export interface BacktestRunRecord {
  readonly id: string;
  readonly status: 'running' | 'finished' | 'failed';
  readonly config: Record<string, unknown>;
  readonly stats: Record<string, unknown> | null;
  readonly error: string | null;
  readonly strategyConfigId: string | null;
  readonly strategyConfigVersion: number | null;
}

export async function startBacktestRun(client: SqlClient, run: BacktestRunStart): Promise<void> {
  try {
    await client.query(
      `INSERT INTO backtest_runs (id, strategy_config_id, strategy_config_version, config, from_ts, to_ts, seed, status)
       VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7, 'running')`,
      [
        run.id,
        run.strategyConfig?.id ?? null,
        run.strategyConfig?.version ?? null,
        JSON.stringify(run.config),
        run.fromTs ?? null,
        run.toTs ?? null,
        run.seed ?? null,
      ],
    );
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new TickerError(
        'RUN_EXISTS',
        `a backtest run with id ${run.id} is already stored; choose another run id`,
        { field: 'run.id', value: run.id, cause: e },
      );
    throw e;
  }
}

/** Marks a run finished with its statistics, or failed with the error that stopped it. */
export async function finishBacktestRun(
  client: SqlClient,
  id: string,
  outcome: { stats: Record<string, unknown> } | { error: string },
): Promise<void> {
  const failed = 'error' in outcome;
  const rows = await client.query(
    `UPDATE backtest_runs SET status = $2, stats = $3::text::jsonb, error = $4, finished_at = now() WHERE id = $1 RETURNING id`,
    [
      id,
      failed ? 'failed' : 'finished',
      failed ? null : JSON.stringify(outcome.stats),
      failed ? outcome.error : null,
    ],
  );
  if (rows.length === 0)
    throw new TickerError(
      'RUN_NOT_FOUND',
      `no backtest run with id ${id}; start it with startBacktestRun first`,
      { field: 'run.id', value: id },
    );
}

export async function loadBacktestRun(client: SqlClient, id: string): Promise<BacktestRunRecord | undefined> {
  const rows = await client.query<BacktestRunRecord & Record<string, unknown>>(
    `SELECT id, status, config, stats, error, strategy_config_id AS "strategyConfigId", strategy_config_version AS "strategyConfigVersion"
     FROM backtest_runs WHERE id = $1`,
    [id],
  );
  return rows[0];
}
