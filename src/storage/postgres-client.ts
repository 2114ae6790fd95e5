import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { TickerError } from '../model/index.js';
import { type SqlClient, type SqlRow, type SqlSession, type SqlValue, quoteIdent } from './sql-client.js';

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
  async copyToBinary(select: string): Promise<Uint8Array> {
    const source = await this.sql.unsafe(`COPY (${select}) TO STDOUT (FORMAT binary)`).readable();
    const chunks: Buffer[] = [];
    for await (const c of source) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
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
