import { TickerError } from '../model/index.js';
import { parseIsoMicros } from './timestamps.js';

/**
 * One dated series from a CSV file: a broker statement's daily returns, another tool's equity curve, a
 * benchmark's closes. Dates are µs since the epoch (UTC), strictly increasing; missing values are NaN.
 */
export interface DatedSeries {
  readonly file: string;
  /** The header of the value column, as written. */
  readonly column: string;
  /** What the column holds: `return` (simple returns as fractions) or `level` (equity, price). */
  readonly kind: 'return' | 'level';
  readonly ts: readonly number[];
  readonly values: readonly number[];
}

const DATE_COLUMNS = ['date', 'datetime', 'timestamp', 'time', ''];
const RETURN_COLUMNS = ['return', 'returns', 'ret'];
const LEVEL_COLUMNS = ['equity', 'value', 'nav', 'balance', 'close', 'price', 'adj close', 'adj_close'];
/** Cells read as a missing value (pandas writes NaN as an empty cell, other tools spell it out). */
const MISSING = new Set(['', 'nan', 'na', 'null']);

function fail(file: string, line: number, column: number, name: string, value: string, why: string): never {
  throw new TickerError('BAD_CSV', `${file}:${line}:${column}: ${name} ${JSON.stringify(value)} ${why}`, {
    field: name,
    value,
  });
}

function parseDate(cell: string): number {
  const t = cell.trim();
  if (/^\d{8}$/.test(t)) return parseIsoMicros(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`);
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    // Epoch seconds, ms, µs or ns by magnitude (valid for 1973–2286).
    const x = Number(t);
    const a = Math.abs(x);
    return a < 1e11
      ? Math.round(x * 1e6)
      : a < 1e14
        ? Math.round(x * 1e3)
        : a < 1e17
          ? x
          : Math.round(x / 1e3);
  }
  return parseIsoMicros(t);
}

/**
 * Parses `date,<value>` CSV text. The date column is `date`/`datetime`/`timestamp`/`time` or unnamed
 * (a pandas index); the value column is chosen by `want` (`return`: `return`/`returns`; `level`:
 * `equity`/`value`/`nav`/`close`/`price`…; `any`: whichever is present, returns first). Other columns
 * are ignored. A bad cell throws naming `file:line:column`, the column and the value.
 */
export function parseSeriesCsv(text: string, file: string, want: 'return' | 'level' | 'any'): DatedSeries {
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  if (h === lines.length) throw new TickerError('BAD_CSV', `${file}: the file is empty`);
  const header = lines[h]!.replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const lower = header.map((c) => c.toLowerCase());
  const dateCol = lower.findIndex((c) => DATE_COLUMNS.includes(c));
  const find = (names: readonly string[]) => lower.findIndex((c) => names.includes(c));
  let valueCol = -1;
  let kind: 'return' | 'level' = 'return';
  if (want !== 'level') valueCol = find(RETURN_COLUMNS);
  if (valueCol < 0 && want !== 'return') {
    valueCol = find(LEVEL_COLUMNS);
    kind = 'level';
  }
  if (dateCol < 0 || valueCol < 0) {
    const expected =
      want === 'return'
        ? 'date,return'
        : want === 'level'
          ? 'date,equity (or value, nav, close, price)'
          : 'date,return or date,equity (or close, price)';
    throw new TickerError(
      'BAD_CSV',
      `${file}:${h + 1}: header ${JSON.stringify(lines[h])} does not have the columns ${expected}`,
    );
  }
  const name = header[valueCol] || 'value';
  const ts: number[] = [];
  const values: number[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const lineNo = i + 1;
    const dateCell = (cells[dateCol] ?? '').trim().replace(/^"(.*)"$/, '$1');
    const t = parseDate(dateCell);
    if (Number.isNaN(t))
      fail(
        file,
        lineNo,
        dateCol + 1,
        header[dateCol] || 'date',
        dateCell,
        'is not a date (YYYY-MM-DD, ISO-8601 or epoch)',
      );
    if (ts.length && t <= ts[ts.length - 1]!)
      fail(
        file,
        lineNo,
        dateCol + 1,
        header[dateCol] || 'date',
        dateCell,
        t === ts[ts.length - 1]
          ? 'repeats the previous row’s date'
          : 'is before the previous row’s date (dates must increase)',
      );
    if (cells.length <= valueCol)
      fail(file, lineNo, valueCol + 1, name, '', `is missing: the row has ${cells.length} columns`);
    const raw = cells[valueCol]!.trim().replace(/^"(.*)"$/, '$1');
    let v: number;
    if (MISSING.has(raw.toLowerCase())) {
      if (kind === 'level')
        fail(file, lineNo, valueCol + 1, name, raw, 'is missing: every row needs a value');
      v = Number.NaN;
    } else {
      v = Number(raw);
      if (!Number.isFinite(v)) fail(file, lineNo, valueCol + 1, name, raw, 'is not a number');
      if (kind === 'return' && v <= -1)
        fail(
          file,
          lineNo,
          valueCol + 1,
          name,
          raw,
          'is a loss of 100% or more (returns are fractions: 0.01 = 1%)',
        );
      if (kind === 'level' && v <= 0) fail(file, lineNo, valueCol + 1, name, raw, 'must be positive');
    }
    ts.push(t);
    values.push(v);
  }
  if (ts.length === 0) throw new TickerError('BAD_CSV', `${file}: no data rows after the header`);
  return { file, column: name, kind, ts, values };
}
