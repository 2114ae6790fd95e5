import { basename, extname } from 'node:path';
import {
  type SqlClient,
  type StoredBarSeries,
  checkTimeframe,
  listBarSeries,
  saveBars,
} from '../storage/index.js';
import { TickerError } from '../model/index.js';
import { type CsvLayout, readCsvBars } from './csv-bars.js';
import { readParquetBars } from './parquet-bars.js';
import { inferTimeframe } from './timeframe.js';

export interface ImportBarsOptions {
  /** Instrument id to store the bars under (default: the file name without extension). */
  readonly instrumentId?: string;
  /** Bar length, e.g. `1m`, `1h`, `1d` (required: a CSV does not say it reliably). */
  readonly timeframe: string;
  /** Called after each stored batch with rows done and total (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ImportBarsReport {
  readonly file: string;
  readonly instrumentId: string;
  readonly timeframe: string;
  readonly layout: CsvLayout;
  /** Rows in the file, rows newly stored, rows already stored (skipped). */
  readonly rows: number;
  readonly inserted: number;
  readonly skipped: number;
  /** First and last bar open time in the file, µs since the epoch. */
  readonly from: number;
  readonly to: number;
}

/**
 * `tickerml data import FILE`: reads a CSV of bars (header, pandas or Binance layout; see csv-bars.ts)
 * and stores it. Idempotent: importing the same file again stores nothing new and reports the rows as
 * skipped; an overlapping file adds only the bars not yet stored.
 */
export async function importBarsCsv(
  client: SqlClient,
  file: string,
  opts: ImportBarsOptions,
): Promise<ImportBarsReport> {
  checkTimeframe(opts.timeframe);
  const id = opts.instrumentId ?? basename(file, extname(file));
  const { series, layout } = readCsvBars(file, { instrumentId: id });
  const r = await saveBars(
    client,
    series,
    opts.timeframe,
    opts.onProgress ? { onProgress: opts.onProgress } : {},
  );
  return {
    file,
    instrumentId: id,
    timeframe: opts.timeframe,
    layout,
    rows: series.length,
    inserted: r.inserted,
    skipped: r.skipped,
    from: series.ts[0]!,
    to: series.ts[series.length - 1]!,
  };
}

export interface ImportFileOptions extends Omit<ImportBarsOptions, 'timeframe'> {
  /** Bar length; default: inferred from the median spacing of the file's bar times. */
  readonly timeframe?: string;
}

export interface ImportFileReport extends Omit<ImportBarsReport, 'layout'> {
  readonly format: 'csv' | 'parquet';
  /** The CSV layout, or 'parquet'. */
  readonly layout: CsvLayout | 'parquet';
  /** True when the timeframe was inferred from the data rather than given. */
  readonly timeframeInferred: boolean;
}

/**
 * `tickerml data import FILE`: a CSV (any layout readCsvBars accepts) or a Parquet file (`.parquet`,
 * `.pq`; see parquet-bars.ts), stored idempotently like importBarsCsv. Without a timeframe it is inferred
 * from the bars' spacing; one that cannot be inferred fails asking for --timeframe.
 */
export async function importBarsFile(
  client: SqlClient,
  file: string,
  opts: ImportFileOptions = {},
): Promise<ImportFileReport> {
  if (opts.timeframe !== undefined) checkTimeframe(opts.timeframe);
  const id = opts.instrumentId ?? basename(file, extname(file));
  const parquet = /\.(parquet|pq)$/i.test(file);
  const read = parquet
    ? { series: await readParquetBars(file, { instrumentId: id }), layout: 'parquet' as const }
    : readCsvBars(file, { instrumentId: id });
  const { series } = read;
  const timeframe = opts.timeframe ?? inferTimeframe(series.ts);
  if (timeframe === undefined)
    throw new TickerError(
      'TIMEFRAME_UNKNOWN',
      `${file}: cannot infer the bar length from ${series.length} bar(s); pass --timeframe (e.g. 1m, 1h, 1d)`,
      { field: 'timeframe' },
    );
  const r = await saveBars(client, series, timeframe, opts.onProgress ? { onProgress: opts.onProgress } : {});
  return {
    file,
    format: parquet ? 'parquet' : 'csv',
    instrumentId: id,
    timeframe,
    timeframeInferred: opts.timeframe === undefined,
    layout: read.layout,
    rows: series.length,
    inserted: r.inserted,
    skipped: r.skipped,
    from: series.ts[0]!,
    to: series.ts[series.length - 1]!,
  };
}

/** `tickerml data list`: every stored bar series (instrument, timeframe, first/last bar time, rows). */
export function listStoredData(client: SqlClient, instrumentId?: string): Promise<StoredBarSeries[]> {
  return listBarSeries(client, instrumentId);
}
