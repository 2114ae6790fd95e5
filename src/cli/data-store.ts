import type { Command } from 'commander';
import { isoMicros, parseIsoMicros } from '../data/timestamps.js';
import { TickerError, invalid } from '../model/index.js';
import { type SqlClient, type StoredBarSeries, listBarSeries, openStore } from '../storage/index.js';

/** The options every store-backed `data` subcommand takes. */
export interface StoreFlags {
  databaseUrl?: string;
  dataDir?: string;
  schema?: string;
}

export function storeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--database-url <url>',
      'PostgreSQL/TimescaleDB server, postgres://user:pass@host:5432/db (default: DATABASE_URL; unset: the embedded store)',
    )
    .option('--data-dir <dir>', 'embedded store directory (default ./data/pglite)')
    .option('--schema <name>', "schema for TickerML's tables (default tickerml)");
}

export function openDataStore(o: StoreFlags): Promise<SqlClient> {
  return openStore({ databaseUrl: o.databaseUrl, dataDir: o.dataDir, schema: o.schema });
}

/** Instrument ids are `venue:symbol` (as `data download` stores them) or a bare symbol. */
export function instrumentIdOf(symbol: string, venue?: string): string {
  return venue ? `${venue}:${symbol}` : symbol;
}

/**
 * Splits an instrument id into venue and symbol. The venue is the part before the first ':' when that
 * part looks like a venue name (letters, digits, `_.-`); `BTC/USDT:USDT` (a ccxt perpetual) has none.
 */
export function splitInstrumentId(id: string): { venue: string; symbol: string } {
  const m = /^([A-Za-z0-9_.-]+):(.+)$/.exec(id);
  return m ? { venue: m[1]!, symbol: m[2]! } : { venue: '', symbol: id };
}

export function dateFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = parseIsoMicros(v);
  if (Number.isNaN(t))
    throw invalid(flag, v, 'must be an ISO date such as 2024-01-01 or 2024-01-01T12:00:00Z (UTC)');
  return t;
}

function describe(all: readonly StoredBarSeries[]): string {
  if (all.length === 0)
    return "the store holds no bars yet: import a file with 'tickerml data import FILE' or fetch with 'tickerml data download'";
  const shown = all.slice(0, 20).map((s) => `${s.instrumentId} ${s.timeframe}`);
  return `stored series: ${shown.join(', ')}${all.length > 20 ? `, … (${all.length} in all; see 'tickerml data list')` : ''}`;
}

/**
 * Finds the stored series a user means by --symbol [--venue] [--timeframe]. The symbol matches an
 * instrument id exactly or, without --venue, the symbol part of `venue:symbol` ids when only one venue
 * has it; the timeframe may be left out when the instrument has one. Errors list what is stored.
 */
export async function resolveSeries(
  client: SqlClient,
  o: { symbol: string; venue?: string; timeframe?: string },
): Promise<StoredBarSeries> {
  const all = await listBarSeries(client);
  const id = instrumentIdOf(o.symbol, o.venue);
  let mine = all.filter((s) => s.instrumentId === id);
  if (mine.length === 0 && o.venue === undefined) {
    mine = all.filter((s) => splitInstrumentId(s.instrumentId).symbol === o.symbol);
    const ids = [...new Set(mine.map((s) => s.instrumentId))];
    if (ids.length > 1)
      throw new TickerError(
        'AMBIGUOUS_SYMBOL',
        `--symbol ${o.symbol} is stored for several venues (${ids.join(', ')}); add --venue`,
        { field: '--symbol', value: o.symbol },
      );
  }
  if (mine.length === 0)
    throw new TickerError('UNKNOWN_SYMBOL', `--symbol: no bars stored for ${id}; ${describe(all)}`, {
      field: '--symbol',
      value: o.symbol,
    });
  if (o.timeframe !== undefined) {
    const s = mine.find((x) => x.timeframe === o.timeframe);
    if (!s)
      throw new TickerError(
        'UNKNOWN_TIMEFRAME',
        `--timeframe: no ${o.timeframe} bars stored for ${mine[0]!.instrumentId}; stored timeframes: ${mine.map((x) => x.timeframe).join(', ')}`,
        { field: '--timeframe', value: o.timeframe },
      );
    return s;
  }
  if (mine.length > 1)
    throw new TickerError(
      'AMBIGUOUS_TIMEFRAME',
      `--timeframe: ${mine[0]!.instrumentId} is stored in several timeframes (${mine.map((x) => x.timeframe).join(', ')}); pick one`,
      { field: '--timeframe' },
    );
  return mine[0]!;
}

/** `2024-01-01T00:00:00Z`, shortened to the date when the time is midnight. */
export function shortTime(us: number): string {
  const s = isoMicros(us);
  return s.endsWith('T00:00:00Z') ? s.slice(0, 10) : s;
}
