import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { AlphaVantageProvider } from '../adapters/alphavantage/index.js';
import { CCXT_VENUES, CcxtProvider } from '../adapters/ccxt/index.js';
import { YahooProvider } from '../adapters/yahoo/index.js';
import {
  type MarketDataProvider,
  ManagedProvider,
  TokenBucket,
  downloadBars,
} from '../data/providers/index.js';
import { parseIsoMicros } from '../data/timestamps.js';
import { TickerError, invalid } from '../model/index.js';
import { openStore } from '../storage/index.js';
import { registerDataCheck } from './data-check.js';
import { registerDataExport, registerDataImport, registerDataList } from './data-io.js';

/**
 * `tickerml data <sub>`: market data in the store. Each subcommand registers itself on the `data`
 * command returned by registerData: download (here), import/list/export (data-io.ts), check
 * (data-check.ts).
 */
export function registerData(program: Command): Command {
  const data = program.command('data').description('download, import, list, export and check market data');
  registerDataDownload(data);
  registerDataImport(data);
  registerDataList(data);
  registerDataExport(data);
  registerDataCheck(data);
  return data;
}

const PROVIDERS = [...CCXT_VENUES, 'alphavantage', 'yahoo'] as const;

/** Requests per second we allow ourselves per venue: well under each venue's published limit. */
const RATE: Record<string, number> = {
  binance: 10,
  binanceusdm: 10,
  coinbase: 5,
  kraken: 1,
  kucoin: 5,
  alphavantage: 1,
  yahoo: 2,
};

export function makeProvider(name: string, baseUrl?: string): MarketDataProvider {
  let p: MarketDataProvider;
  if (name === 'alphavantage') p = new AlphaVantageProvider({ baseUrl });
  else if (name === 'yahoo') p = new YahooProvider({ baseUrl });
  else if ((CCXT_VENUES as readonly string[]).includes(name)) p = new CcxtProvider({ venue: name, baseUrl });
  else throw invalid('--provider', name, `use one of ${PROVIDERS.join(', ')}`);
  const rate = RATE[name] ?? 2;
  return new ManagedProvider(p, { bucket: new TokenBucket(Math.max(1, rate), rate) });
}

function dateArg(flag: string, v: string): number {
  const t = parseIsoMicros(v);
  if (Number.isNaN(t))
    throw invalid(flag, v, 'must be an ISO date such as 2024-01-01 or 2024-01-01T12:00:00Z');
  return t;
}

interface DownloadOpts {
  provider: string;
  symbol: string;
  timeframe: string;
  from: string;
  to: string;
  baseUrl?: string;
  instrument?: string;
  dataDir?: string;
  pageSize?: string;
  quiet?: boolean;
}

function registerDataDownload(data: Command): void {
  data
    .command('download')
    .description('download bars from a provider into the store; resumable and idempotent')
    .requiredOption('--provider <name>', `one of ${PROVIDERS.join(', ')}`)
    .requiredOption('--symbol <symbol>', 'unified symbol: BTC/USDT, BTC/USDT:USDT (perpetual), IBM')
    .requiredOption('--timeframe <tf>', '1m, 5m, 1h, 1d, …')
    .requiredOption('--from <date>', 'first bar (inclusive), ISO date, UTC')
    .requiredOption('--to <date>', 'end (exclusive), ISO date, UTC')
    .option(
      '--base-url <url>',
      "send requests to this origin instead of the venue's (a mirror or a test server)",
    )
    .option('--instrument <id>', 'id to store the series under (default <provider>:<symbol>)')
    .option(
      '--data-dir <dir>',
      'embedded store directory (default ./data/pglite; DATABASE_URL selects a server)',
    )
    .option('--page-size <n>', 'bars per request (default 1000)')
    .option('--quiet', 'no progress bar')
    .addHelpText(
      'after',
      '\nExample:\n  tickerml data download --provider binance --symbol BTC/USDT --timeframe 1m --from 2024-01-01 --to 2024-02-01\n' +
        'Interrupted? Run the same command again: it continues after the last stored bar.\n',
    )
    .action(async (o: DownloadOpts) => {
      const from = dateArg('--from', o.from);
      const to = dateArg('--to', o.to);
      const pageSize = o.pageSize === undefined ? undefined : Number(o.pageSize);
      if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0))
        throw invalid('--page-size', o.pageSize, 'must be a positive integer');
      const provider = makeProvider(o.provider, o.baseUrl);
      const client = await openStore({ dataDir: o.dataDir });
      const show = !o.quiet && process.stderr.isTTY;
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${o.provider} ${o.symbol} ${o.timeframe} [{bar}] {percentage}% | ETA {eta_formatted}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      if (show) bar.start(100, 0);
      try {
        const r = await downloadBars(
          provider,
          client,
          { symbol: o.symbol, timeframe: o.timeframe, from, to, instrumentId: o.instrument, pageSize },
          (done, total) => show && bar.update(Math.round((done / total) * 100)),
        );
        if (show) bar.stop();
        const resumed =
          r.resumedFrom > from ? ` (resumed at ${new Date(r.resumedFrom / 1000).toISOString()})` : '';
        console.log(
          `${r.instrumentId} ${o.timeframe}: ${r.inserted} new bars stored, ${r.received - r.inserted} already there, ${r.requests} requests${resumed}`,
        );
      } catch (e) {
        if (show) bar.stop();
        if (e instanceof TickerError) throw e;
        throw new TickerError(
          'DOWNLOAD_FAILED',
          `download failed: ${(e as Error).message}; run the same command again to resume`,
          {
            cause: e,
          },
        );
      } finally {
        await client.close();
      }
    });
}
