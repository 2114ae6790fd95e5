import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TickerError } from '../model/index.js';
import { type AnalyzeOptions, runAnalyzeCommand } from './analyze.js';
import { main } from './main.js';

const F = 'test/fixtures/analyze';
const GOOG = `${F}/goog-close-2004-08.csv`;
const SPY = `${F}/spy-close-2004-08.csv`;
const dir = mkdtempSync(join(tmpdir(), 'tickerml-analyze-'));
let n = 0;

interface Doc {
  periods_per_year: number;
  periods_per_year_source: string;
  missing: number;
  returns: number;
  metrics: Record<string, number | null>;
  stats?: Record<string, number | string | null>;
}

function analyze(o: AnalyzeOptions): { doc: Doc; out: string } {
  const json = join(dir, `out-${n++}.json`);
  let out = '';
  expect(runAnalyzeCommand({ ...o, json }, (s) => (out += s))).toBe(0);
  return { doc: JSON.parse(readFileSync(json, 'utf8')) as Doc, out };
}

function close(actual: number | null | undefined, expected: number, rel = 1e-9): void {
  if (Number.isNaN(expected)) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  if (expected === 0) return expect(Math.abs(actual!)).toBeLessThan(1e-12);
  expect(Math.abs(actual! / expected - 1)).toBeLessThan(rel);
}

function errorOf(o: AnalyzeOptions): string {
  try {
    runAnalyzeCommand({ ...o, quiet: true });
  } catch (e) {
    expect(e).toBeInstanceOf(TickerError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('tickerml analyze on a real equity curve (GOOG closes, 2004-08-19 .. 09-03; SPY closes as benchmark)', () => {
  // The closes of test/fixtures/analyze (from the backtesting.py and Lean fixtures): every expected
  // value below is computed here from these numbers by its textbook formula, not by analytics.ts.
  const goog = [100.34, 108.31, 109.4, 104.87, 106, 107.91, 106.15, 102.01, 102.37, 100.25, 101.51, 100.01];
  const spy = [
    109.61, 110.44, 110.22, 110.19, 111.12, 111.16, 111.46, 110.58, 111.07, 111.31, 112.55, 112.09,
  ];
  const rets = (c: number[]) => c.slice(1).map((x, i) => x / c[i]! - 1);
  const r = rets(goog);
  const b = rets(spy);
  const mean = (x: number[]) => x.reduce((a, y) => a + y, 0) / x.length;
  const m = mean(r);
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1));

  it('prints the table, says which periods per year it chose, and writes every metric as a fraction', () => {
    const { doc, out } = analyze({ equity: GOOG, benchmark: SPY });
    expect(out).toContain('periods per year: 252 (inferred from the dates: daily dates without weekends');
    expect(out).toMatch(/max_drawdown\s+-8\.58%/);
    expect(doc.periods_per_year).toBe(252);
    expect(doc.returns).toBe(11);
    const k = doc.metrics;
    close(k.total_return, 100.01 / 100.34 - 1);
    close(k.annual_return, (100.01 / 100.34) ** (252 / 11) - 1);
    close(k.max_drawdown, 100.01 / 109.4 - 1); // the peak of 08-23 to the last close
    close(k.annual_volatility, sd * Math.sqrt(252));
    close(k.sharpe, (m / sd) * Math.sqrt(252));
    close(k.calmar, ((100.01 / 100.34) ** (252 / 11) - 1) / (1 - 100.01 / 109.4));
    // 11 returns: the 5% quantile sits halfway between the two worst (08-24 and 08-30).
    const worst = 104.87 / 109.4 - 1;
    const second = 102.01 / 106.15 - 1;
    close(k.var_95, (worst + second) / 2);
    close(k.cvar_95, worst);
    const down = Math.sqrt(r.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / r.length) * Math.sqrt(252);
    close(k.downside_risk, down);
    close(k.sortino, (m * 252) / down);
    const mb = mean(b);
    const beta =
      r.reduce((a, x, i) => a + (x - m) * (b[i]! - mb), 0) / b.reduce((a, y) => a + (y - mb) ** 2, 0);
    close(k.beta, beta);
    close(k.alpha, (1 + mean(r.map((x, i) => x - beta * b[i]!))) ** 252 - 1);
    const active = r.map((x, i) => x - b[i]!);
    const ma = mean(active);
    const te = Math.sqrt(active.reduce((a, x) => a + (x - ma) ** 2, 0) / (active.length - 1));
    close(k.information_ratio, ma / te);
    close(k.tracking_error, te * Math.sqrt(252));
  });

  it('has every documented JSON key, NaN as null without a benchmark', () => {
    const { doc } = analyze({ equity: GOOG });
    expect(Object.keys(doc.metrics)).toEqual(
      expect.arrayContaining([
        'annual_return',
        'annual_volatility',
        'sharpe',
        'sortino',
        'calmar',
        'omega',
        'max_drawdown',
        'downside_risk',
        'information_ratio',
        'alpha',
        'beta',
        'var_95',
        'cvar_95',
        'tail_ratio',
      ]),
    );
    expect(doc.metrics.alpha).toBeNull();
    expect(doc.metrics.beta).toBeNull();
    expect(doc.metrics.information_ratio).toBeNull();
  });

  it('--compat backtesting.py uses the kernel statistics for the metrics backtesting.py has', () => {
    const { doc, out } = analyze({ equity: GOOG, benchmark: SPY, compat: 'backtesting.py' });
    expect(out).toContain('conventions: backtesting.py');
    const s = doc.stats!;
    expect(s['Start']).toBe('2004-08-19 00:00:00');
    close(doc.metrics.annual_return, (s['Return (Ann.) [%]'] as number) / 100);
    close(doc.metrics.sharpe, s['Sharpe Ratio'] as number);
    close(doc.metrics.max_drawdown, (s['Max. Drawdown [%]'] as number) / 100);
    close(s['Buy & Hold Return [%]'] as number, (112.09 / 109.61 - 1) * 100);
    // backtesting.py: geometric mean return compounded, (1 + g)^252 − 1, where the first date's undefined
    // return counts as a zero (12 dates → 12 terms); volatility from the sample variance of the 11 returns.
    const g = (100.01 / 100.34) ** (1 / 12) - 1;
    close(doc.metrics.annual_return, (1 + g) ** 252 - 1);
    const v = r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1);
    close(doc.metrics.annual_volatility, Math.sqrt((v + (1 + g) ** 2) ** 252 - (1 + g) ** 504));
  });

  it('--report writes a self-contained page with the charts and the metrics', () => {
    const report = join(dir, 'perf.html');
    let out = '';
    runAnalyzeCommand({ equity: GOOG, benchmark: SPY, report }, (s) => (out += s));
    expect(out).toContain(`wrote ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Performance report: goog-close-2004-08.csv');
    expect(html).toContain('sharpe');
    expect(html.split('<svg ').length - 1).toBe(5); // equity, drawdown, monthly, distribution, rolling Sharpe
    expect(html).not.toMatch(/https?:|<script/i);
    expect(html).not.toContain('id="trades"');
  });
});

describe('tickerml analyze against empyrical reference values (as in src/portfolio/analytics.test.ts)', () => {
  // empyrical/tests/test_stats.py @ 2cbc9b3cb30e595ac96a87b486ebae7c5c102d29: mixed_returns (with the leading
  // value 0, see analytics.test.ts), simple_benchmark (1% a day), negative_returns[1:] as the benchmark.
  const mixed = `${F}/empyrical-mixed.csv`;

  it('mixed returns, 252 periods a year', () => {
    const { doc } = analyze({ returns: mixed, periodsPerYear: '252' });
    const k = doc.metrics;
    expect(doc.periods_per_year_source).toBe('given with --periods-per-year');
    close(k.annual_return, 1.9135925373194231);
    close(k.annual_volatility, 0.8552777326693359);
    close(k.sharpe, 1.6368951821422701);
    close(k.sortino, 2.456518422202588);
    close(k.downside_risk, 0.5699122739510003);
    close(k.calmar, 19.135925373194233);
    close(k.max_drawdown, -0.1);
    close(k.stability, 0.33072113092134847);
    close(k.tail_ratio, 0.9473684210526313);
  });

  it('Omega with a required return (annual, as empyrical)', () => {
    const { doc } = analyze({ returns: mixed, periodsPerYear: '252', requiredReturn: '10' });
    close(doc.metrics.omega, 0.78629772289706013);
  });

  it('benchmarks: information ratio against 1% a day; beta and alpha against negative_returns[1:]', () => {
    const simple = analyze({
      returns: mixed,
      periodsPerYear: '252',
      benchmark: `${F}/empyrical-simple-benchmark.csv`,
    }).doc;
    close(simple.metrics.information_ratio, -0.082491763318632769);
    close(simple.metrics.beta, Number.NaN); // a constant benchmark has no variance
    const neg = analyze({
      returns: mixed,
      periodsPerYear: '252',
      benchmark: `${F}/empyrical-negative-benchmark.csv`,
    }).doc;
    close(neg.metrics.beta, -0.71296296296296291);
    close(neg.metrics.alpha, (1 - 8.3066666666666666 / 252) ** 252 - 1);
  });

  it('weekly dates: infers 52 periods a year', () => {
    const { doc, out } = analyze({ returns: `${F}/empyrical-weekly.csv` });
    expect(doc.periods_per_year).toBe(52);
    expect(out).toContain('weekly dates (median spacing 7 days) → 52');
    close(doc.metrics.annual_return, 0.24690830513998208);
    close(doc.metrics.annual_volatility, 0.38851569394870583);
    close(doc.metrics.calmar, 2.4690830513998208);
  });

  it('an empty return is missing: dropped, except that the annual return counts the period (empyrical)', () => {
    const { doc, out } = analyze({ returns: `${F}/empyrical-mixed-nan.csv`, periodsPerYear: '252' });
    expect(doc.missing).toBe(1);
    expect(out).toContain('9 returns (1 missing, dropped)');
    const dropped = analyze({
      returns: csv(
        'dropped.csv',
        readFileSync(`${F}/empyrical-mixed-nan.csv`, 'utf8').replace('2000-01-30,\n', ''),
      ),
      periodsPerYear: '252',
    }).doc;
    close(doc.metrics.sharpe, dropped.metrics.sharpe!);
    close(doc.metrics.annual_volatility, dropped.metrics.annual_volatility!);
    close(doc.metrics.annual_return, 1.9135925373194231);
  });
});

describe('tickerml analyze: errors name the file, line, column and value', () => {
  it('a bad return', () => {
    const p = csv('bad-return.csv', 'date,return\n2020-01-02,0.01\n2020-01-03,abc\n');
    expect(errorOf({ returns: p })).toBe(`${p}:3:2: return "abc" is not a number`);
  });

  it('a bad date, a repeated date, a non-positive equity, a missing column', () => {
    const d = csv('bad-date.csv', 'date,return\n2020-01-02,0.01\n2020-13-03,0.02\n');
    expect(errorOf({ returns: d })).toBe(
      `${d}:3:1: date "2020-13-03" is not a date (YYYY-MM-DD, ISO-8601 or epoch)`,
    );
    const rep = csv('rep.csv', 'Date,Equity\n2020-01-02,100\n2020-01-02,101\n');
    expect(errorOf({ equity: rep })).toBe(`${rep}:3:1: Date "2020-01-02" repeats the previous row’s date`);
    const neg = csv('neg.csv', 'date,equity\n2020-01-02,100\n2020-01-03,-5\n');
    expect(errorOf({ equity: neg })).toBe(`${neg}:3:2: equity "-5" must be positive`);
    const hdr = csv('hdr.csv', 'day,pnl\n2020-01-02,1\n');
    expect(errorOf({ returns: hdr })).toBe(
      `${hdr}:1: header "day,pnl" does not have the columns date,return`,
    );
    const pctFile = csv('pct.csv', 'date,return\n2020-01-02,-150\n');
    expect(errorOf({ returns: pctFile })).toContain(':2:2: return "-150" is a loss of 100% or more');
  });

  it('flags: neither or both inputs, a bad rate, a missing file', () => {
    expect(errorOf({})).toContain('give exactly one of --returns FILE.csv');
    expect(errorOf({ returns: GOOG, equity: GOOG })).toContain('give exactly one of');
    expect(errorOf({ equity: GOOG, riskFree: 'x' })).toBe(
      '--risk-free: must be an annual rate as a fraction greater than -1 (0.02 = 2%) (got "x")',
    );
    expect(errorOf({ equity: GOOG, periodsPerYear: '0' })).toContain('--periods-per-year');
    expect(errorOf({ equity: GOOG, compat: 'zipline' })).toContain('--compat');
    expect(errorOf({ returns: join(dir, 'nope.csv') })).toContain('nope.csv: cannot read');
  });

  it('through the command line: exit code 2 and the message on stderr', async () => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const q = csv('cli-bad2.csv', 'date,return\n2020-01-02,0.01\n2020-01-03,5%\n');
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'tickerml', 'analyze', '--returns', q, '--quiet'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toContain(`error: ${q}:3:2: return "5%" is not a number`);
  });
});
