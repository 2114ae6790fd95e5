import { extname } from 'node:path';
import type { Command } from 'commander';
import { exportBarsCsv, exportBarsParquet } from '../data/export-bars.js';
import { importBarsFile, listStoredData } from '../data/import-bars.js';
import { invalid } from '../model/index.js';
import {
  type StoreFlags,
  dateFlag,
  instrumentIdOf,
  openDataStore,
  resolveSeries,
  shortTime,
  splitInstrumentId,
  storeOptions,
} from './data-store.js';
import { startProgress } from './progress.js';
import { textTable } from './table.js';

interface ImportOpts extends StoreFlags {
  symbol?: string;
  venue?: string;
  timeframe?: string;
  quiet?: boolean;
}

export function registerDataImport(data: Command): void {
  storeOptions(
    data
      .command('import')
      .description('store bars from CSV or Parquet files; idempotent (bars already stored are skipped)')
      .argument('<files...>', 'CSV (timestamp/ISO header, pandas, Binance klines) or .parquet files')
      .option(
        '--symbol <symbol>',
        'symbol to store the bars under (default: the file name without extension)',
      )
      .option('--venue <venue>', "venue, stored as part of the id '<venue>:<symbol>' (binance, nasdaq, …)")
      .option('--timeframe <tf>', 'bar length, 1m, 1h, 1d, … (default: inferred from the bar spacing)'),
  )
    .option('--quiet', 'no progress bar')
    .addHelpText(
      'after',
      '\nExamples:\n  tickerml data import examples/data/GOOG.csv --venue nasdaq --timeframe 1d\n' +
        '  tickerml data import BTCUSDT-1m-2024-01.csv --symbol BTC/USDT --venue binance\n' +
        '  DATABASE_URL=postgres://user@host/db tickerml data import bars.parquet\n',
    )
    .action(async (files: string[], o: ImportOpts) => {
      if (o.symbol !== undefined && files.length > 1)
        throw invalid(
          '--symbol',
          o.symbol,
          `names one series but ${files.length} files were given; import them one by one`,
        );
      const client = await openDataStore(o);
      try {
        for (const file of files) {
          const sym = o.symbol ?? undefined;
          const id =
            sym === undefined && o.venue === undefined
              ? undefined
              : instrumentIdOf(sym ?? baseName(file), o.venue);
          const progress = startProgress(`import ${file}`, 1, o.quiet, 'bars');
          let last = 0;
          const r = await importBarsFile(client, file, {
            ...(id !== undefined ? { instrumentId: id } : {}),
            ...(o.timeframe !== undefined ? { timeframe: o.timeframe } : {}),
            onProgress: (done, total) => {
              progress.grow(total);
              progress.tick(done - last);
              last = done;
            },
          }).finally(() => progress.stop());
          const tf = r.timeframeInferred ? `${r.timeframe} (inferred; --timeframe to override)` : r.timeframe;
          console.log(
            `${r.instrumentId} ${tf}: ${r.rows} bars read from ${file} (${r.layout}), ${r.inserted} new, ${r.skipped} already stored; ${shortTime(r.from)} → ${shortTime(r.to)}`,
          );
        }
      } finally {
        await client.close();
      }
      process.exitCode = 0;
    });
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.slice(0, b.length - extname(b).length);
}

export function registerDataList(data: Command): void {
  storeOptions(
    data
      .command('list')
      .description('list the stored bar series: symbol, venue, timeframe, first and last bar, rows')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (o: StoreFlags & { json?: boolean }) => {
    const client = await openDataStore(o);
    try {
      const list = await listStoredData(client);
      const rows = list.map((s) => ({
        instrumentId: s.instrumentId,
        ...splitInstrumentId(s.instrumentId),
        timeframe: s.timeframe,
        first: shortTime(s.firstTs),
        last: shortTime(s.lastTs),
        rows: s.rows,
        firstTs: s.firstTs,
        lastTs: s.lastTs,
      }));
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0)
        console.log(
          "no bars stored yet: import a file with 'tickerml data import FILE' or fetch with 'tickerml data download'",
        );
      else
        process.stdout.write(
          textTable(
            ['symbol', 'venue', 'timeframe', 'first', 'last', 'rows'],
            rows.map((r) => [r.symbol, r.venue || '-', r.timeframe, r.first, r.last, String(r.rows)]),
          ),
        );
    } finally {
      await client.close();
    }
    process.exitCode = 0;
  });
}

interface ExportOpts extends StoreFlags {
  symbol: string;
  venue?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  out: string;
  timeFormat?: string;
}

export function registerDataExport(data: Command): void {
  storeOptions(
    data
      .command('export')
      .description('write a stored series to CSV (timestamp,open,high,low,close,volume) or Parquet')
      .requiredOption('--symbol <symbol>', "symbol or id as 'data list' shows it")
      .option('--venue <venue>', 'venue, when the symbol is stored for several')
      .option('--timeframe <tf>', 'timeframe (needed when the symbol is stored in several)')
      .option('--from <date>', 'first bar (inclusive), ISO date, UTC')
      .option('--to <date>', 'end (exclusive), ISO date, UTC')
      .requiredOption('--out <file>', 'FILE.csv or FILE.parquet')
      .option('--time-format <f>', 'CSV only: iso (default) or us (integer µs since the epoch)'),
  )
    .addHelpText(
      'after',
      '\nIn pandas:\n' +
        "  pd.read_csv('goog.csv', index_col=0, parse_dates=True)   # or index_col='timestamp'\n" +
        "  pd.read_parquet('goog.parquet').set_index('timestamp')  # timestamp is datetime64[us, UTC]\n",
    )
    .action(async (o: ExportOpts) => {
      const ext = extname(o.out).toLowerCase();
      if (ext !== '.csv' && ext !== '.parquet' && ext !== '.pq')
        throw invalid('--out', o.out, 'must end in .csv or .parquet (the extension picks the format)');
      if (o.timeFormat !== undefined && o.timeFormat !== 'iso' && o.timeFormat !== 'us')
        throw invalid('--time-format', o.timeFormat, 'must be iso or us');
      const from = dateFlag('--from', o.from);
      const to = dateFlag('--to', o.to);
      const client = await openDataStore(o);
      try {
        const s = await resolveSeries(client, o);
        const range = {
          instrumentId: s.instrumentId,
          timeframe: s.timeframe,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        };
        const n =
          ext === '.csv'
            ? await exportBarsCsv(client, range, o.out, { timeFormat: o.timeFormat === 'us' ? 'us' : 'iso' })
            : await exportBarsParquet(client, range, o.out);
        console.log(`${s.instrumentId} ${s.timeframe}: ${n} bars written to ${o.out}`);
      } finally {
        await client.close();
      }
      process.exitCode = 0;
    });
}
