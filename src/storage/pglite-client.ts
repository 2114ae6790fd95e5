import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { TickerError } from '../model/index.js';
import { decodeBinaryColumns } from './copy-binary.js';
import {
  type NumericColumnType,
  type SqlClient,
  type SqlRow,
  type SqlSession,
  type SqlValue,
  quoteIdent,
} from './sql-client.js';

export interface PgliteClientOptions {
  /** A directory for the database files (created if missing), or `memory` for a throw-away database. */
  readonly dataDir: string;
  /** Schema for every table (default `tickerml`). */
  readonly schema?: string;
}

/** The slice of a PGlite connection or transaction we use. */
interface PgliteLike {
  query<T>(
    text: string,
    params?: unknown[],
    options?: { rowMode?: 'object'; blob?: Blob },
  ): Promise<{ rows: T[]; blob?: Blob }>;
  exec(text: string): Promise<unknown>;
}

class PgliteSession implements SqlSession {
  constructor(private readonly db: PgliteLike) {}

  async query<R extends SqlRow = SqlRow>(text: string, params: readonly SqlValue[] = []): Promise<R[]> {
    return (await this.db.query<R>(text, params as unknown[])).rows;
  }
  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }
  async copyFrom(table: string, columns: readonly string[], text: string): Promise<void> {
    // PGlite reads COPY input from the virtual file /dev/blob.
    await this.db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
      blob: new Blob([text]),
    });
  }
  /** Binary COPY into /dev/blob, decoded in JS: ~8× faster than PGlite's row results. */
  async selectColumns(select: string, types: readonly NumericColumnType[]): Promise<Float64Array[]> {
    const r = await this.db.query(`COPY (${select}) TO '/dev/blob' (FORMAT binary)`);
    if (!r.blob) throw new TickerError('STORE_COPY', `PGlite returned no COPY output for: ${select}`);
    return decodeBinaryColumns(new Uint8Array(await r.blob.arrayBuffer()), types);
  }
}

/** The embedded PostgreSQL (WebAssembly): one connection, no server. */
class PgliteClient extends PgliteSession implements SqlClient {
  readonly driver = 'pglite' as const;
  readonly parallelism = 1;
  constructor(
    private readonly pg: PGlite,
    readonly target: string,
    readonly schema: string,
  ) {
    super(pg as unknown as PgliteLike);
  }
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new PgliteSession(tx as unknown as PgliteLike)));
  }
  close(): Promise<void> {
    return this.pg.close();
  }
}

/** Opens (creating if needed) an embedded database and points its search_path at `schema`. */
export async function openPgliteClient(opts: PgliteClientOptions): Promise<SqlClient> {
  const schema = opts.schema ?? 'tickerml';
  const q = quoteIdent(schema);
  const memory = opts.dataDir === 'memory' || opts.dataDir === 'memory://';
  let pg: PGlite;
  try {
    if (!memory) mkdirSync(opts.dataDir, { recursive: true });
    // int8 (OID 20) as number: our bigints are µs timestamps and counts, all below 2^53.
    pg = await PGlite.create({
      dataDir: memory ? undefined : opts.dataDir,
      parsers: { 20: (v: string) => Number(v) },
    });
  } catch (e) {
    throw new TickerError(
      'STORE_UNAVAILABLE',
      `cannot open the embedded database at ${opts.dataDir}: ${(e as Error).message}. ` +
        'Check that the directory is writable and not used by another running TickerML process.',
      { field: 'dataDir', value: opts.dataDir, cause: e },
    );
  }
  await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${q}; SET search_path TO ${q}, public`);
  return new PgliteClient(pg, memory ? 'memory' : opts.dataDir, schema);
}
