import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberAt, parseCsvBars, readCsvBars } from './csv-bars.js';
import { parseIsoMicros, parseTimestamp } from './timestamps.js';

const day = (iso: string) => Date.parse(iso) * 1000;

describe('CSV bar layouts', () => {
  it('reads a header layout with epoch milliseconds, any column order, volume optional', () => {
    const { series, layout } = parseCsvBars(
      'close,Open,high,low,timestamp\n2,1,3,0.5,1700000000000\n3,2,4,1,1700000060000\n',
      'x.csv',
    );
    expect(layout).toBe('header');
    expect(Array.from(series.ts)).toEqual([1_700_000_000_000_000, 1_700_000_060_000_000]);
    expect(Array.from(series.close)).toEqual([2, 3]);
    expect(Array.from(series.volume)).toEqual([0, 0]);
    expect(series.instrumentId).toBe('x');
  });

  it('reads epoch seconds and ISO dates (UTC unless an offset is given)', () => {
    const s = parseCsvBars('time,open,high,low,close\n1700000000,1,1,1,1\n', 'a.csv').series;
    expect(s.ts[0]).toBe(1_700_000_000_000_000);
    const iso = parseCsvBars(
      'date,open,high,low,close,volume\n2021-12-31 23:01:00.000000,1,2,0.5,1,10\n2022-01-01T02:00:00+01:00,1,2,0.5,1,10\n',
      'b.csv',
    );
    expect(iso.series.ts[0]).toBe(day('2021-12-31T23:01:00Z'));
    expect(iso.series.ts[1]).toBe(day('2022-01-01T01:00:00Z'));
    expect(parseIsoMicros('2004-08-19')).toBe(day('2004-08-19T00:00:00Z'));
    expect(parseIsoMicros('2020-01-01T00:00:00.123456Z')).toBe(day('2020-01-01T00:00:00Z') + 123_456);
    expect(parseTimestamp('1700000000000000')).toBe(1_700_000_000_000_000);
    expect(() => parseTimestamp('yesterday')).toThrowError(/timestamp/);
  });

  it('reads the pandas export of backtesting.py (unnamed date index, capitalized columns)', () => {
    const { series, layout } = readCsvBars('test/fixtures/backtesting_py/GOOG.csv');
    expect(layout).toBe('pandas');
    expect(series.length).toBe(2148);
    expect(series.ts[0]).toBe(day('2004-08-19T00:00:00Z'));
    expect([series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]]).toEqual([
      100, 104.06, 95.96, 100.34, 22351900,
    ]);
    expect(series.instrumentId).toBe('GOOG');
  });

  it('reads Binance kline CSVs without a header', () => {
    const { series, layout } = readCsvBars('test/fixtures/nautilus/ADABTC-1m-2021-11-27.csv');
    expect(layout).toBe('binance');
    expect(series.length).toBe(10);
    expect(series.ts[0]).toBe(1_637_971_200_000_000);
    expect(series.close[0]).toBe(0.00002854);
    expect(series.volume[0]).toBe(36304.2);
  });

  it('reads intraday ISO bars with microseconds (nautilus BTC perpetual)', () => {
    const { series } = readCsvBars('test/fixtures/nautilus/btc-perp-20211231-20220201_1m.csv');
    expect(series.length).toBeGreaterThan(40_000);
    expect(series.ts[1]! - series.ts[0]!).toBe(60_000_000);
  });

  it('fails with the file, line and column of a bad cell, and what is wrong', () => {
    expect(() =>
      parseCsvBars('timestamp,open,high,low,close\n1,1,1,1,1\n2,1,x,1,1\n', 'bad.csv'),
    ).toThrowError('bad.csv:3:3: high');
    expect(() => parseCsvBars('timestamp,open,high,low,close\n2,1,1,1,1\n1,1,1,1,1\n', 'b.csv')).toThrowError(
      /b.csv:3:1: .*does not come after/,
    );
    expect(() => parseCsvBars('when,open,high,low,close\n', 'c.csv')).toThrowError(
      /c.csv:1:1: no time column/,
    );
    expect(() => parseCsvBars('timestamp,open,high,close\n1,1,1,1\n', 'd.csv')).toThrowError(
      /missing column 'low'/,
    );
    expect(() => parseCsvBars('timestamp,open,high,low,close\n1,1,1,2,1\n', 'e.csv')).toThrowError(
      /e.csv:2:3: high 1 is below low 2/,
    );
    expect(() => parseCsvBars('timestamp,open,high,low,close\n', 'f.csv')).toThrowError(/no data rows/);
    expect(() => readCsvBars('/nonexistent/file.csv')).toThrowError(/cannot read \/nonexistent\/file.csv/);
  });

  it('reads files with a UTF-8 byte order mark, and quotes non-ASCII cells intact in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-csv-'));
    const bom = join(dir, 'bom.csv');
    writeFileSync(
      bom,
      '\ufefftimestamp,open,high,low,close\n1700000000,1,2,0.5,1.5\n1700000060,1.5,2,1,1.8\n',
    );
    expect(Array.from(readCsvBars(bom).series.close)).toEqual([1.5, 1.8]);
    const utf8 = join(dir, 'utf8.csv');
    writeFileSync(utf8, 'timestamp,open,high,low,close\n1700000000,1,2,0.5,1.5\n1700000060,1.5,2,1,1.5€\n');
    expect(() => readCsvBars(utf8)).toThrowError(/close '1\.5€' is not a number/);
  });

  it('parses numbers in place to exactly what Number() gives', () => {
    const cases = [
      '0.1',
      '-12.5',
      '+3',
      '46319.0',
      '0.00002854',
      '2300413.7295',
      '1e-5',
      '1.5E+3',
      '123456789012345678',
      '  7 ',
      '.5',
      '5.',
    ];
    for (const c of cases) expect(numberAt(c, 0, c.length), c).toBe(Number(c));
    let seed = 7;
    for (let i = 0; i < 10_000; i++) {
      seed = (seed * 16807) % 2147483647;
      const c = (seed / 1000).toFixed(seed % 9);
      expect(numberAt(c, 0, c.length)).toBe(Number(c));
    }
    expect(numberAt('abc', 0, 3)).toBeNaN();
    expect(numberAt('', 0, 0)).toBeNaN();
  });
});
