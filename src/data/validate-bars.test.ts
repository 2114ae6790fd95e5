import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvBarColumns, readCsvBars } from './csv-bars.js';
import { inferTimeframe } from './timeframe.js';
import { type ValidationReport, validateBars } from './validate-bars.js';

const fixture = (f: string) => readFileSync(`test/fixtures/${f}`, 'utf8');
const GOOG = fixture('backtesting_py/GOOG.csv');
const count = (r: ValidationReport, kind: string) => r.checks.find((c) => c.kind === kind)!.count;
const check = (r: ValidationReport, kind: string) => r.checks.find((c) => c.kind === kind)!;

/**
 * The first 40 GOOG days (real backtesting.py data) with one fault of each kind written in by hand.
 * Line numbers are the file's (line 1 is the header).
 */
function faultyGoog(): string {
  const lines = GOOG.split('\n').slice(0, 41);
  // line 6 → 2004-08-25: close 0
  lines[5] = lines[5]!.replace(/,[^,]+,([^,]+)$/, ',0,$1');
  // line 8: high below low (swap them)
  const c8 = lines[7]!.split(',');
  [c8[2], c8[3]] = [c8[3]!, c8[2]!];
  lines[7] = c8.join(',');
  // line 10: open above the high
  const c10 = lines[9]!.split(',');
  c10[1] = String(Number(c10[2]) + 5);
  lines[9] = c10.join(',');
  // line 12: a decimal shift in every price (bad tick): an outlier up, then one down at line 13
  const c12 = lines[11]!.split(',');
  lines[11] = [c12[0], ...c12.slice(1, 5).map((x) => String(Number(x) * 10)), c12[5]].join(',');
  // line 15: negative volume; line 16: a cell that is not a number
  lines[14] = lines[14]!.replace(/,[^,]+$/, ',-5');
  lines[15] = lines[15]!.replace(/^([^,]+),[^,]+,/, '$1,abc,');
  // line 20 repeated after itself (duplicate), lines 30 and 31 swapped (out of order)
  const [l30, l31] = [lines[29]!, lines[30]!];
  lines[29] = l31;
  lines[30] = l30;
  lines.splice(20, 0, lines[19]!);
  return lines.join('\n') + '\n';
}

describe('validateBars', () => {
  it('counts every fault with its time, field, value and line, and keeps clean rows clean', () => {
    const text = faultyGoog();
    const { cols, malformed } = parseCsvBarColumns(text, 'faulty.csv', true);
    const r = validateBars(cols, { timeframe: '1d', malformed, calendar: 'weekdays' });
    expect(r.rows).toBe(40); // 41 rows less the one that could not be read
    expect(check(r, 'malformed-row').examples[0]).toMatchObject({
      line: 16,
      field: 'column 2',
      value: 'abc',
      detail: "open 'abc' is not a number",
    });
    expect(check(r, 'non-positive-price').examples).toEqual([
      { ts: Date.UTC(2004, 7, 25) * 1000, time: '2004-08-25T00:00:00Z', field: 'close', value: 0, line: 6 },
    ]);
    expect(check(r, 'high-below-low').examples[0]).toMatchObject({ line: 8, field: 'high' });
    expect(check(r, 'open-outside-range').examples[0]).toMatchObject({ line: 10, field: 'open' });
    // The close of 0 is also outside [low, high].
    expect(check(r, 'close-outside-range').examples.map((e) => e.line)).toEqual([6]);
    expect(check(r, 'negative-volume').examples[0]).toMatchObject({ line: 15, value: -5 });
    expect(check(r, 'duplicate').examples[0]).toMatchObject({ line: 21, detail: 'first at line 20' });
    expect(check(r, 'out-of-order').examples[0]).toMatchObject({ line: 32, field: 'timestamp' });
    // The jumps into and out of the ×10 bar (returns to or from a zero close are not taken).
    expect(check(r, 'outlier').examples.map((e) => e.line)).toEqual([12, 13]);
    // Labor Day 2004, and the weekday whose row could not be read.
    expect(check(r, 'gap').examples.map((e) => [e.time, e.detail])).toEqual([
      ['2004-09-03T00:00:00Z', '1 bar(s) missing before 2004-09-07T00:00:00Z'],
      ['2004-09-08T00:00:00Z', '1 bar(s) missing before 2004-09-10T00:00:00Z'],
    ]);
    expect(r.problems).toBe(r.checks.reduce((a, c) => a + c.count, 0));
    expect(r.problems).toBe(12);
  });

  it('finds no problem in a clean file (Binance klines)', () => {
    const { cols, malformed } = parseCsvBarColumns(
      fixture('nautilus/ADABTC-1m-2021-11-27.csv'),
      'ada.csv',
      true,
    );
    const r = validateBars(cols, { timeframe: inferTimeframe(cols.ts), malformed });
    expect(r).toMatchObject({ rows: 10, problems: 0, timeframe: '1m', calendar: '24x7', notes: [] });
  });

  it('counts missing bars on the calendar it is given or guesses', () => {
    const goog = readCsvBars('test/fixtures/backtesting_py/GOOG.csv').series;
    const wk = validateBars(goog, { timeframe: '1d' });
    expect(wk.calendar).toBe('weekdays'); // no GOOG bar falls on a weekend
    expect(check(wk, 'gap').examples[0]).toMatchObject({
      time: '2004-09-03T00:00:00Z',
      detail: '1 bar(s) missing before 2004-09-07T00:00:00Z', // Labor Day
    });
    const allDays = validateBars(goog, { timeframe: '1d', calendar: '24x7' });
    expect(count(allDays, 'gap')).toBeGreaterThan(400); // every weekend
    const eur = readCsvBars('test/fixtures/backtesting_py/EURUSD.csv').series;
    const fx = validateBars(eur, { timeframe: '1h' });
    expect(fx.calendar).toBe('24x7'); // FX trades from Sunday evening
    expect(check(fx, 'gap').examples[0]).toMatchObject({
      time: '2017-04-21T20:00:00Z',
      detail: '48 bar(s) missing before 2017-04-23T21:00:00Z',
    });
    expect(validateBars(eur, {}).notes[0]).toMatch(/gap check skipped: no timeframe/);
  });

  it('handles calendar months and infers timeframes from the spacing', () => {
    const btc = readCsvBars('test/fixtures/backtesting_py/BTCUSD.csv').series;
    expect(inferTimeframe(btc.ts)).toBe('1M');
    expect(count(validateBars(btc, { timeframe: '1M', outlierZ: 50 }), 'gap')).toBe(0);
    const text = fixture('backtesting_py/BTCUSD.csv').split('\n');
    text.splice(5, 1); // drop 2012-05-31
    const { cols } = parseCsvBarColumns(text.join('\n'), 'btc.csv', true);
    const r = validateBars(cols, { timeframe: '1M', outlierZ: 50 });
    expect(check(r, 'gap')).toMatchObject({ count: 1, missingBars: 1 });
    expect(check(r, 'gap').examples[0]!.time).toBe('2012-04-30T00:00:00Z');
    expect(inferTimeframe(readCsvBars('test/fixtures/backtesting_py/GOOG.csv').series.ts)).toBe('1d');
    expect(inferTimeframe(readCsvBars('test/fixtures/backtesting_py/EURUSD.csv').series.ts)).toBe('1h');
    expect(inferTimeframe([0])).toBeUndefined();
  });

  it('falls back to the mean absolute deviation when most returns are zero', () => {
    const n = 40;
    const close = new Float64Array(n).fill(100);
    close[10] = 101; // one real move among flat bars: MAD is 0
    close[20] = 150; // and one spike
    const ts = Float64Array.from({ length: n }, (_, i) => i * 60e6);
    const r = validateBars(
      { ts, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1) },
      {
        timeframe: '1m',
      },
    );
    expect(check(r, 'outlier').examples.map((e) => e.ts / 60e6)).toEqual([20, 21]);
    const flat = new Float64Array(n).fill(100);
    const f = validateBars(
      { ts, open: flat, high: flat, low: flat, close: flat, volume: flat },
      { timeframe: '1m' },
    );
    expect(f.notes).toEqual(['outlier check skipped: every return is the same']);
  });
});
