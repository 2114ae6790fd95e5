import { TickerError } from '../model/index.js';
import { SCHEMA_SQL } from './migrations/001-schema.js';
import { applyTimeLayout } from './migrations/002-time-layout.js';
import { NODE_STATE_SQL } from './migrations/003-node-state.js';
import { type SqlClient, type SqlSession, quoteIdent } from './sql-client.js';

/** One numbered migration: SQL text, or a function for steps that depend on the server (extensions). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string | ((tx: SqlSession) => Promise<unknown>);
}

/** The schema's history. Append only: never edit a migration that has shipped, add the next number. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'schema', up: SCHEMA_SQL },
  { version: 2, name: 'time_layout', up: applyTimeLayout },
  { version: 3, name: 'node_state', up: NODE_STATE_SQL },
];

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Brings the client's schema up to the newest migration. Safe to run on every start and from several
 * processes at once: each migration runs in its own transaction under an advisory lock, and the
 * schema_migrations table records what has been applied.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  const schema = quoteIdent(client.schema);
  await client.exec(`
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`tickerml.migrate.${client.schema}`]);
      const seen = await tx.query(`SELECT 1 FROM ${schema}.schema_migrations WHERE version = $1`, [
        m.version,
      ]);
      if (seen.length > 0) return false;
      try {
        if (typeof m.up === 'string') await tx.exec(m.up);
        else await m.up(tx);
      } catch (e) {
        throw new TickerError(
          'MIGRATION_FAILED',
          `migration ${m.version} (${m.name}) failed in schema ${client.schema} at ${client.target}: ${(e as Error).message}`,
          {
            field: 'migration',
            value: m.version,
            cause: e,
          },
        );
      }
      await tx.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  const cur = await client.query<{ v: number | null }>(
    `SELECT max(version) AS v FROM ${schema}.schema_migrations`,
  );
  return { applied, current: cur[0]?.v ?? 0 };
}
