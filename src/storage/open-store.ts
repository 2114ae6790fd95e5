import { join } from 'node:path';
import { migrate } from './migrate.js';
import { openPgliteClient } from './pglite-client.js';
import { openPostgresClient } from './postgres-client.js';
import type { SqlClient } from './sql-client.js';

export interface StoreOptions {
  /**
   * A PostgreSQL server (`postgres://user:password@host:5432/database`). Default: the DATABASE_URL
   * environment variable; when neither is set the embedded PGlite store is used.
   */
  readonly databaseUrl?: string;
  /** Where the embedded store keeps its files (default `./data/pglite`), or `memory`. */
  readonly dataDir?: string;
  /** Schema for TickerML's tables (default `tickerml`). */
  readonly schema?: string;
  /** Server pool size (default 4). */
  readonly maxConnections?: number;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
}

export const DEFAULT_DATA_DIR = join('data', 'pglite');

/**
 * Opens TickerML's store: the PostgreSQL server named by `databaseUrl` or DATABASE_URL, otherwise the
 * embedded PGlite database under ./data/pglite. Migrations run on open, so a new database is ready
 * to use. The result is the SQL port every repository function takes; close it when done.
 */
export async function openStore(opts: StoreOptions = {}): Promise<SqlClient> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  const client =
    url !== undefined && url !== ''
      ? await openPostgresClient({ url, schema: opts.schema, maxConnections: opts.maxConnections })
      : await openPgliteClient({ dataDir: opts.dataDir ?? DEFAULT_DATA_DIR, schema: opts.schema });
  if (opts.migrate !== false) {
    try {
      await migrate(client);
    } catch (e) {
      await client.close();
      throw e;
    }
  }
  return client;
}
