import { invalid } from '../model/index.js';

/**
 * The SQL port. Repositories speak PostgreSQL through this small interface and never see a driver's
 * types, so the embedded PGlite and a PostgreSQL server (postgres.js) are interchangeable
 * (the same idea as kysely's PGlite dialect, which declares the slice of PGlite it needs).
 */

/** A query parameter. bigint columns are read back as `number`: every bigint we store (µs, counts) is < 2^53. */
export type SqlValue = string | number | boolean | null;

export type SqlRow = Record<string, unknown>;

export type NumericColumnType = 'int8' | 'float8';

/** What one connection (or one transaction) can do. */
export interface SqlSession {
  /** One statement with `$1…` parameters; rows as objects. */
  query<R extends SqlRow = SqlRow>(text: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(script: string): Promise<void>;
  /**
   * `COPY table (columns) FROM STDIN` in PostgreSQL text format (tab-separated, `\N` for null; see
   * `copyText` in copy-format.ts). Fails as a whole on a unique violation.
   */
  copyFrom(table: string, columns: readonly string[], text: string): Promise<void>;
  /**
   * Runs `select` (its columns NOT NULL, int8 or float8 as `types` says, in the order wanted) and returns
   * the columns as Float64Arrays without building a row object per row: the fast path for bar loads.
   */
  selectColumns(select: string, types: readonly NumericColumnType[]): Promise<Float64Array[]>;
}

export interface SqlClient extends SqlSession {
  readonly driver: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a directory, `memory`, or a URL without its password. */
  readonly target: string;
  /** The schema every table lives in (set as the session's search_path). */
  readonly schema: string;
  /** How many statements may usefully run at once (1 for PGlite, the pool size for a server). */
  readonly parallelism: number;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema or table name we build ourselves; refuses anything that is not a plain identifier. */
export function quoteIdent(name: string): string {
  if (!IDENT.test(name))
    throw invalid(
      'sql.identifier',
      name,
      'use lower-case letters, digits and _ (at most 63), starting with a letter',
    );
  return `"${name}"`;
}

/** A string literal for the few statements that cannot take parameters (COPY). */
export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
