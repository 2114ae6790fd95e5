import { basename, extname } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { ColumnData, FileMetaData, ParquetParsers, SchemaElement } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { BarSeries, TickerError, instrumentId } from '../model/index.js';
import { FIELDS, type MalformedRow, type RawBarColumns, TIME_NAMES as CSV_TIME_NAMES } from './csv-bars.js';
import { epochToMicros, epochUnit, parseIsoMicros } from './timestamps.js';

/**
 * Bars in Parquet files (hyparquet / hyparquet-writer, pure JS). Reading finds the time column by
 * name (timestamp, time, date, datetime, open_time, ts, … or pandas' `__index_level_0__`) or, failing
 * that, by a TIMESTAMP/DATE type, and the prices by name in any case (`Open`, `close`, …). Times may be
 * TIMESTAMP (ms/µs/ns), DATE, epoch integers (s/ms/µs/ns by magnitude) or ISO-8601 strings; naive
 * timestamps (pandas without a time zone) are read as UTC. Uncompressed and Snappy files (pandas'
 * default) are read; other codecs need hyparquet-compressors, which we do not ship.
 */

/** The CSV reader's time column names, and pandas' unnamed index as `to_parquet` writes it. */
const TIME_NAMES = [...CSV_TIME_NAMES, '__index_level_0__'];

// Timestamps come back as µs numbers (exact below 2^53 µs, i.e. until the year 2255), not Dates (ms).
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms) * 1000,
  timestampFromMicroseconds: (us: bigint) => Number(us),
  timestampFromNanoseconds: (ns: bigint) => Number(ns / 1000n),
  dateFromDays: (days: number) => days * 86_400e6,
};

function isTimeType(e: SchemaElement): boolean {
  const ct = e.converted_type;
  return (
    e.logical_type?.type === 'TIMESTAMP' ||
    e.logical_type?.type === 'DATE' ||
    ct === 'TIMESTAMP_MILLIS' ||
    ct === 'TIMESTAMP_MICROS' ||
    ct === 'DATE' ||
    (e.type === 'INT96' && ct === undefined)
  );
}

interface Layout {
  readonly time: string;
  readonly fields: Record<(typeof FIELDS)[number], string | undefined>;
}

function findColumns(file: string, meta: FileMetaData): Layout {
  const cols = parquetSchema(meta).children.map((c) => c.element);
  const byName = (want: readonly string[]) => cols.find((c) => want.includes(c.name.toLowerCase()))?.name;
  const time = byName(TIME_NAMES) ?? cols.find(isTimeType)?.name;
  const names = cols.map((c) => c.name).join(', ');
  if (time === undefined)
    throw new TickerError(
      'PARQUET_LAYOUT',
      `${file}: no time column (columns: ${names}); name it one of ${CSV_TIME_NAMES.join(', ')} or give it a TIMESTAMP type`,
      { field: file },
    );
  const fields = {} as Record<(typeof FIELDS)[number], string | undefined>;
  for (const f of FIELDS) {
    fields[f] = byName([f, f[0]!]);
    if (fields[f] === undefined && f !== 'volume')
      throw new TickerError('PARQUET_LAYOUT', `${file}: missing column '${f}' (columns: ${names})`, {
        field: file,
      });
  }
  return { time, fields };
}

function toMicros(x: unknown, unit: { u?: ReturnType<typeof epochUnit> }): number {
  if (typeof x === 'string') {
    const iso = parseIsoMicros(x.trim());
    if (!Number.isNaN(iso)) return iso;
    x = Number(x);
  }
  if (typeof x === 'bigint') x = Number(x);
  if (typeof x !== 'number' || !Number.isFinite(x)) return Number.NaN;
  unit.u ??= epochUnit(x);
  return epochToMicros(x, unit.u);
}

function toNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  return Number.NaN; // null (missing), strings, booleans
}

/**
 * Reads bar columns from a Parquet file, rows in file order. Lenient (for `data check`): a row whose
 * time is missing or unreadable is listed in `malformed` (line = 1-based row number) and skipped;
 * missing prices stay NaN for the validator to count. Strict (import): the first bad row throws.
 */
export async function readParquetColumns(
  file: string,
  lenient: boolean,
): Promise<{ cols: RawBarColumns & { lines: Int32Array }; malformed: MalformedRow[] }> {
  let buf;
  let meta: FileMetaData;
  try {
    buf = await asyncBufferFromFile(file);
    meta = await parquetMetadataAsync(buf);
  } catch (e) {
    throw new TickerError('FILE_UNREADABLE', `cannot read ${file} as Parquet: ${(e as Error).message}`, {
      field: 'file',
      value: file,
      cause: e,
    });
  }
  const layout = findColumns(file, meta);
  const total = Number(meta.num_rows);
  const raw = new Map<string, unknown[]>();
  const wanted = [layout.time, ...FIELDS.map((f) => layout.fields[f]).filter((x) => x !== undefined)];
  for (const c of wanted) raw.set(c, new Array<unknown>(total));
  try {
    await parquetRead({
      file: buf,
      metadata: meta,
      columns: wanted,
      parsers: PARSERS,
      onChunk: (chunk: ColumnData) => {
        const dst = raw.get(chunk.columnName);
        if (!dst) return;
        const src = chunk.columnData;
        for (let i = 0; i < src.length && chunk.rowStart + i < total; i++) dst[chunk.rowStart + i] = src[i];
      },
    });
  } catch (e) {
    throw new TickerError('FILE_UNREADABLE', `cannot read ${file} as Parquet: ${(e as Error).message}`, {
      field: 'file',
      value: file,
      cause: e,
    });
  }
  const malformed: MalformedRow[] = [];
  const out = {
    ts: new Float64Array(total),
    open: new Float64Array(total),
    high: new Float64Array(total),
    low: new Float64Array(total),
    close: new Float64Array(total),
    volume: new Float64Array(total),
    lines: new Int32Array(total),
  };
  const unit: { u?: ReturnType<typeof epochUnit> } = {};
  const time = raw.get(layout.time)!;
  let n = 0;
  const fail = (row: number, column: string, message: string, value: unknown) => {
    if (!lenient)
      throw new TickerError('PARQUET_ROW', `${file}: row ${row}, column ${column}: ${message}`, {
        field: `${file}:row ${row}:${column}`,
        value,
      });
    malformed.push({ line: row, column: 0, message: `column ${column}: ${message}`, value: String(value) });
  };
  for (let r = 0; r < total; r++) {
    const row = r + 1;
    const t = toMicros(time[r], unit);
    if (Number.isNaN(t)) {
      fail(row, layout.time, 'time is missing or not a date/epoch number', time[r]);
      continue;
    }
    out.ts[n] = t;
    out.lines[n] = row;
    let bad = false;
    for (const f of FIELDS) {
      const c = layout.fields[f];
      const x = c === undefined ? 0 : toNumber(raw.get(c)![r]);
      if (!lenient && Number.isNaN(x)) {
        fail(row, c!, `${f} is missing or not a number`, raw.get(c!)![r]);
        bad = true;
      }
      out[f][n] = x;
    }
    if (bad) continue;
    if (!lenient) {
      if (n > 0 && !(t > out.ts[n - 1]!))
        fail(
          row,
          layout.time,
          `time does not come after the previous row's; sort the data and remove duplicates ('tickerml data check ${file}' lists them all)`,
          t,
        );
      if (out.high[n]! < out.low[n]!)
        fail(row, layout.fields.high!, `high ${out.high[n]} is below low ${out.low[n]}`, out.high[n]);
    }
    n++;
  }
  if (n === 0 && malformed.length === 0)
    throw new TickerError('NO_DATA', `${file}: no rows`, { field: 'file', value: file });
  const cut = <T extends Float64Array | Int32Array>(a: T) => a.slice(0, n) as T;
  return {
    cols: {
      ts: cut(out.ts),
      open: cut(out.open),
      high: cut(out.high),
      low: cut(out.low),
      close: cut(out.close),
      volume: cut(out.volume),
      lines: cut(out.lines),
    },
    malformed,
  };
}

/** Reads a Parquet file of bars strictly (times must increase) into a BarSeries. */
export async function readParquetBars(
  file: string,
  opts: { instrumentId?: string } = {},
): Promise<BarSeries> {
  const { cols } = await readParquetColumns(file, false);
  const { lines: _, ...c } = cols;
  return new BarSeries(instrumentId(opts.instrumentId ?? basename(file, extname(file))), c);
}

/**
 * Writes bars as Parquet: `timestamp` INT64 TIMESTAMP(MICROS, UTC) then `open, high, low, close,
 * volume` DOUBLE, all required, Snappy-compressed. pandas reads the timestamp as datetime64[us, UTC]:
 * `pd.read_parquet(path).set_index('timestamp')`.
 */
export function writeParquetBars(series: BarSeries, file: string): void {
  const num = (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' });
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'timestamp', data: series.ts, nullable: false },
      ...FIELDS.map((f) => ({ name: f, data: series[f], nullable: false })),
    ],
    schema: [
      { name: 'schema', num_children: 6 },
      {
        name: 'timestamp',
        type: 'INT64',
        repetition_type: 'REQUIRED',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      },
      ...FIELDS.map(num),
    ],
    createdBy: 'tickerml',
  });
}
