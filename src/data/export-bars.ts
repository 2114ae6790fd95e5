import { closeSync, openSync, writeSync } from 'node:fs';
import { type BarSeries, TickerError } from '../model/index.js';
import { type BarRange, type SqlClient, loadBars } from '../storage/index.js';
import { writeParquetBars } from './parquet-bars.js';
import { isoMicros } from './timestamps.js';

export { isoMicros };

export interface ExportBarsOptions {
  /** `iso` (default): `2024-01-01T00:00:00Z`, what pandas parses with parse_dates; `us`: integer µs. */
  readonly timeFormat?: 'iso' | 'us';
}

/**
 * `tickerml data export`: writes a stored bar series (or a range of it) as CSV with the header
 * `timestamp,open,high,low,close,volume`. Numbers are written in the shortest form that reads back to
 * the same float64, so an export re-imports exactly. In pandas:
 * `pd.read_csv(path, parse_dates=['timestamp'], index_col='timestamp')`.
 * Returns the number of bars written; fails with NO_DATA when the range holds none.
 */
export async function exportBarsCsv(
  client: SqlClient,
  range: BarRange,
  file: string,
  opts: ExportBarsOptions = {},
): Promise<number> {
  const s = await loadRange(client, range);
  const iso = (opts.timeFormat ?? 'iso') === 'iso';
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, 'timestamp,open,high,low,close,volume\n');
    const CHUNK = 50_000;
    for (let a = 0; a < s.length; a += CHUNK) {
      let out = '';
      const b = Math.min(s.length, a + CHUNK);
      for (let i = a; i < b; i++)
        out += `${iso ? isoMicros(s.ts[i]!) : s.ts[i]},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}\n`;
      writeSync(fd, out);
    }
  } finally {
    closeSync(fd);
  }
  return s.length;
}

/**
 * Writes a stored bar series (or a range of it) as Parquet (see writeParquetBars: `timestamp` as INT64
 * TIMESTAMP(MICROS, UTC), prices and volume as DOUBLE). Returns the number of bars written.
 */
export async function exportBarsParquet(client: SqlClient, range: BarRange, file: string): Promise<number> {
  const s = await loadRange(client, range);
  writeParquetBars(s, file);
  return s.length;
}

async function loadRange(client: SqlClient, range: BarRange): Promise<BarSeries> {
  const s = await loadBars(client, range);
  if (s.length === 0)
    throw new TickerError(
      'NO_DATA',
      `no ${range.timeframe} bars stored for ${range.instrumentId} in that range; see 'tickerml data list'`,
      { field: 'instrumentId', value: range.instrumentId },
    );
  return s;
}
