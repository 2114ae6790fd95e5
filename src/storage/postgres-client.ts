import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { TickerError } from '../model/index.js';
import { decodeRowMajor } from './copy-binary.js';
import {
  type NumericColumnType,
  type SqlClient,
  type SqlRow,
  type SqlSession,
  type SqlValue,
  quoteIdent,
} from './sql-client.js';

export interface PostgresClientOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  readonly url: string;
  /** Schema for every table (default `tickerml`); created by the migrations. */
  readonly schema?: string;
  /** Pool size (default 4). Batched writers run up to this many batches at once. */
  readonly maxConnections?: number;
  /** Seconds to wait for a connection before failing (default 5). */
  readonly connectTimeoutSeconds?: number;
}

const COPY_TIMEOUT_MS = 60_000;

type Sql = postgres.Sql<Record<string, never>>;
type TxSql = postgres.TransactionSql<Record<string, never>>;

class PostgresSession implements SqlSession {
  constructor(protected readonly sql: Sql | TxSql) {}

  async query<R extends SqlRow = SqlRow>(text: string, params: readonly SqlValue[] = []): Promise<R[]> {
    const rows = await this.sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
    return Array.from(rows) as unknown as R[];
  }
  async exec(script: string): Promise<void> {
    await this.sql.unsafe(script).simple();
  }
  async copyFrom(table: string, columns: readonly string[], text: string): Promise<void> {
    const sink = await this.sql.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`).writable();
    // postgres.js 3.4 never settles the stream when the server rejects a COPY (porsager/postgres#1173);
    // our writers avoid every rejection they can foresee, and this guard turns the rest into an error.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TickerError(
              'STORE_COPY_STALLED',
              `COPY into ${table} did not finish in ${COPY_TIMEOUT_MS / 1000} s; the server probably rejected a row (see its log)`,
            ),
          ),
        COPY_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([pipeline(Readable.from([text]), sink), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }
  /**
   * The server packs each row into bytes (int8send/float8send) and aggregates them into one bytea, so
   * the result is one value, not a row object per row. Not COPY TO: postgres.js 3.4 can leave the
   * socket paused after a large COPY TO STDOUT (porsager/postgres#917), hanging the connection.
   * Row order is the subquery's (PostgreSQL feeds an aggregate in its input order); callers that need an
   * order check it (BarSeries refuses timestamps that do not increase).
   */
  async selectColumns(select: string, types: readonly NumericColumnType[]): Promise<Float64Array[]> {
    const names = types.map((_, i) => `c${i}`);
    const packed = types.map((t, i) => `${t === 'int8' ? 'int8send' : 'float8send'}(c${i})`).join(' || ');
    const rows = await this.sql.unsafe(
      `SELECT count(*) AS n, string_agg(${packed}, ''::bytea) AS b FROM (${select}) AS s(${names.join(', ')})`,
    );
    const r = rows[0] as unknown as { n: number; b: Uint8Array | null };
    return decodeRowMajor(r.b ?? new Uint8Array(0), r.n, types);
  }
}

class PostgresClient extends PostgresSession implements SqlClient {
  readonly driver = 'postgres' as const;
  constructor(
    private readonly pool: Sql,
    readonly target: string,
    readonly schema: string,
    readonly parallelism: number,
  ) {
    super(pool);
  }
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.pool.begin((tx) => fn(new PostgresSession(tx))) as Promise<T>;
  }
  close(): Promise<void> {
    return this.pool.end({ timeout: 5 });
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Connects to a PostgreSQL server and checks it answers, or throws STORE_UNREACHABLE saying what to check. */
export async function openPostgresClient(opts: PostgresClientOptions): Promise<SqlClient> {
  const schema = opts.schema ?? 'tickerml';
  const target = redactUrl(opts.url);
  try {
    new URL(opts.url);
  } catch {
    throw new TickerError(
      'INVALID_ARGUMENT',
      `DATABASE_URL is not a URL: ${target}; expected postgres://user:password@host:5432/database`,
      {
        field: 'DATABASE_URL',
        value: target,
      },
    );
  }
  const max = opts.maxConnections ?? 4;
  const pool = postgres(opts.url, {
    max,
    connect_timeout: opts.connectTimeoutSeconds ?? 5,
    onnotice: () => {},
    // Every session resolves our tables in `schema` first; public keeps extensions (timescaledb) visible.
    connection: { search_path: `${quoteIdent(schema)}, public`, application_name: 'tickerml' },
    // int8 as number: our bigints are µs timestamps and counts, all below 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
  }) as unknown as Sql;
  try {
    await pool.unsafe('SELECT 1');
  } catch (e) {
    await pool.end({ timeout: 1 }).catch(() => {});
    throw new TickerError(
      'STORE_UNREACHABLE',
      `cannot connect to PostgreSQL at ${target}: ${(e as Error).message}. Check that the server is running and ` +
        'accepts TCP connections there, that the user, password and database in DATABASE_URL exist, ' +
        'or unset DATABASE_URL to use the embedded store under ./data/pglite.',
      { field: 'DATABASE_URL', value: target, cause: e },
    );
  }
  return new PostgresClient(pool, target, schema, max);
}
