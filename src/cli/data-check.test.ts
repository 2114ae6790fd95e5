import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readCsvBars } from '../data/csv-bars.js';
import { readParquetBars, readParquetColumns } from '../data/parquet-bars.js';
import { main } from './main.js';

// `tickerml data check FILE` and the Parquet reader on real bars (backtesting.py's GOOG, Nautilus'
// ADABTC klines; test/fixtures/ORIGIN.md). No store involved.
const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const ADA = 'test/fixtures/nautilus/ADABTC-1m-2021-11-27.csv';
const dir = mkdtempSync(join(tmpdir(), 'tickerml-check-'));
const exitCode = process.exitCode;
afterEach(() => {
  process.exitCode = exitCode;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ') + '\n'));
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    return { code: await main(['node', 'tickerml', ...args]), out: out.join(''), err: err.join('') };
  } finally {
    log.mockRestore();
    so.mockRestore();
    se.mockRestore();
  }
}

/** GOOG as pandas' `df.to_parquet()` lays it out: a naive ns DatetimeIndex, capitalized columns. */
function pandasStyleParquet(file: string, nullCloseAt?: number): void {
  const s = readCsvBars(GOOG).series;
  const close: (number | null)[] = Array.from(s.close);
  if (nullCloseAt !== undefined) close[nullCloseAt] = null;
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'Open', data: s.open },
      { name: 'High', data: s.high },
      { name: 'Low', data: s.low },
      { name: 'Close', data: close },
      { name: 'Volume', data: s.volume },
      { name: '__index_level_0__', data: Array.from(s.ts, (t) => BigInt(t) * 1000n) },
    ],
    schema: [
      { name: 'schema', num_children: 6 },
      ...['Open', 'High', 'Low'].map((name) => ({
        name,
        type: 'DOUBLE' as const,
        repetition_type: 'OPTIONAL' as const,
      })),
      { name: 'Close', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'Volume', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      {
        name: '__index_level_0__',
        type: 'INT64',
        repetition_type: 'OPTIONAL',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' },
      },
    ],
  });
}

describe('Parquet bars', () => {
  it("reads pandas' layout (index column, ns timestamps, capitalized names) to the CSV's exact bars", async () => {
    const f = join(dir, 'goog.parquet');
    pandasStyleParquet(f);
    const pq = await readParquetBars(f);
    const csv = readCsvBars(GOOG).series;
    expect(String(pq.instrumentId)).toBe('goog');
    for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const)
      expect(Array.from(pq[k]), k).toEqual(Array.from(csv[k]));
  });

  it('names the row and column of a missing value, or leaves it to the validator when lenient', async () => {
    const f = join(dir, 'goog-null.parquet');
    pandasStyleParquet(f, 99);
    await expect(readParquetBars(f)).rejects.toThrow(
      /goog-null\.parquet: row 100, column Close: close is missing/,
    );
    const { cols } = await readParquetColumns(f, true);
    expect(Number.isNaN(cols.close[99]!)).toBe(true);
    const r = await run(['data', 'check', f, '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as {
      checks: { kind: string; count: number; examples: { line: number }[] }[];
    };
    const nf = rep.checks.find((c) => c.kind === 'non-finite')!;
    expect(nf.count).toBe(1);
    expect(nf.examples[0]).toMatchObject({ line: 100, field: 'close', value: 'NaN' });
  });
});

describe('tickerml data check FILE', () => {
  it('exits 0 on a clean file and says so', async () => {
    const r = await run(['data', 'check', ADA]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ADABTC-1m-2021-11-27\.csv: 10 bars, .*; timeframe 1m \(inferred\); calendar 24x7/);
    expect(r.out).toMatch(/no problems found\n$/);
  });

  it('exits 1 and reports duplicates, order and prices of a damaged file with line numbers', async () => {
    const lines = readFileSync(GOOG, 'utf8').trimEnd().split('\n').slice(0, 30);
    lines.splice(11, 0, lines[10]!); // line 11 repeated as line 12
    lines[20] = lines[20]!.replace(/,([^,]+)$/, ',0'); // zero volume on line 21
    lines.push(lines[3]!); // a 2004 row again at the end: out of order and a duplicate
    const f = join(dir, 'damaged.csv');
    writeFileSync(f, lines.join('\n') + '\n');
    const r = await run(['data', 'check', f, '--json', '--examples', '2']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as {
      source: string;
      timeframe: string;
      checks: { kind: string; count: number; examples: { line: number; field: string }[] }[];
      problems: number;
    };
    const by = Object.fromEntries(rep.checks.map((c) => [c.kind, c]));
    expect(rep).toMatchObject({ source: f, timeframe: '1d' });
    expect(by.duplicate!.count).toBe(2);
    expect(by.duplicate!.examples.map((e) => e.line)).toEqual([32, 12]);
    expect(by['out-of-order']!.examples).toEqual([expect.objectContaining({ line: 32, field: 'timestamp' })]);
    expect(by['zero-volume']!.examples).toEqual([
      expect.objectContaining({ line: 21, field: 'volume', value: 0 }),
    ]);
    expect(rep.problems).toBe(by.duplicate!.count + 1 + 1 + by.gap!.count + by.outlier!.count);
    const text = await run(['data', 'check', f]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/!! duplicate\s+2 /);
  });

  it('refuses a file and --symbol together, and names bad flags', async () => {
    expect((await run(['data', 'check', ADA, '--symbol', 'X'])).err).toMatch(
      /give either a FILE or --symbol/,
    );
    expect((await run(['data', 'check', ADA, '--calendar', 'lunar'])).err).toMatch(
      /--calendar: must be 24x7 or weekdays/,
    );
    expect((await run(['data', 'check', join(dir, 'nope.csv')])).err).toMatch(/cannot read .*nope\.csv/);
  });
});
