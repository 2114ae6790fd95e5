import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktestCommand } from './backtest.js';
import { main } from './main.js';

const GOOG = 'test/fixtures/backtesting_py/GOOG.csv';
const base = {
  strategy: 'sma-cross',
  param: [],
  cash: '10000',
  fill: 'next-open' as const,
  currency: 'USD',
  lotSize: '1',
  tickSize: '0.01',
};

describe('tickerml backtest', () => {
  it('applies a risk limits YAML with --risk-config, and names the YAML path of a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-risk-'));
    const strict = join(dir, 'strict.yaml');
    writeFileSync(strict, 'maxPositionShare: 0.1\nstopLoss: null\ntakeProfit: null\n');
    const run = (extra: object) => {
      const json = join(dir, `out-${Math.random()}.json`);
      expect(
        runBacktestCommand(
          { ...base, data: [GOOG], param: ['fast=10', 'slow=20'], json, quiet: true, ...extra },
          () => {},
        ),
      ).toBe(0);
      return JSON.parse(readFileSync(json, 'utf8')) as { stats: Record<string, number> };
    };
    // sma-cross buys with ~all equity: the permissive backtest profile lets it, a 10% position limit denies it.
    expect(run({}).stats['# Trades']).toBeGreaterThan(40);
    expect(run({ riskConfig: strict }).stats['# Trades']).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'maxPositionShare: 2\n');
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
    try {
      expect(
        await main([
          'node',
          'tickerml',
          'backtest',
          '--data',
          GOOG,
          '--strategy',
          'sma-cross',
          '--risk-config',
          bad,
        ]),
      ).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(errors.join('')).toMatch(/bad\.yaml: maxPositionShare: .*\(got 2\)/);
  });

  it('prints the statistics table and writes { stats, trades } JSON with backtesting.py key names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-'));
    const json = join(dir, 'out.json');
    let out = '';
    const code = runBacktestCommand(
      {
        ...base,
        data: [GOOG],
        param: ['fast=10', 'slow=20', 'short=true'],
        commission: '0.002',
        compat: 'backtesting.py',
        json,
      },
      (s) => (out += s),
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Return \[%\]\s+462\.64/);
    expect(out).toMatch(/# Trades\s+93/);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as {
      stats: Record<string, unknown>;
      trades: unknown[];
    };
    expect(parsed.stats['# Trades']).toBe(93);
    expect(parsed.stats['Sharpe Ratio']).toBeCloseTo(0.6, 2);
    expect(parsed.trades).toHaveLength(93);
    expect(Object.keys(parsed.trades[0] as object)).toEqual(
      expect.arrayContaining([
        'Size',
        'EntryBar',
        'ExitBar',
        'EntryPrice',
        'ExitPrice',
        'PnL',
        'ReturnPct',
        'EntryTime',
        'ExitTime',
      ]),
    );
  });

  it('runs several instruments merged in time order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerml-'));
    const a = join(dir, 'A.csv');
    const b = join(dir, 'B.csv');
    const rows = (f: (i: number) => number) =>
      'timestamp,open,high,low,close\n' +
      Array.from(
        { length: 60 },
        (_, i) => `${1_700_000_000 + i * 86400},${f(i)},${f(i) + 1},${f(i) - 1},${f(i)}`,
      ).join('\n');
    writeFileSync(
      a,
      rows((i) => 100 + 10 * Math.sin(i / 5)),
    );
    writeFileSync(
      b,
      rows((i) => 50 + i),
    );
    let out = '';
    expect(
      runBacktestCommand({ ...base, data: [a, b], param: ['fast=3', 'slow=8'] }, (s) => (out += s)),
    ).toBe(0);
    expect(out).toMatch(/120 bars/);
  });

  it('fails clearly: unknown strategy lists the known ones, bad params and bad CSV cells name the field', async () => {
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'tickerml', 'backtest', '--data', GOOG, '--strategy', 'nope'])).toBe(2);
      expect(
        await main([
          'node',
          'tickerml',
          'backtest',
          '--data',
          GOOG,
          '--strategy',
          'sma-cross',
          '--param',
          'fast=abc',
        ]),
      ).toBe(2);
      const dir = mkdtempSync(join(tmpdir(), 'tickerml-'));
      writeFileSync(join(dir, 'bad.csv'), 'timestamp,open,high,low,close\n1,1,1,1,1\n2,1,1,oops,1\n');
      expect(
        await main([
          'node',
          'tickerml',
          'backtest',
          '--data',
          join(dir, 'bad.csv'),
          '--strategy',
          'sma-cross',
        ]),
      ).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(errors[0]).toMatch(/unknown strategy 'nope'; known strategies: sma-cross/);
    expect(errors[1]).toMatch(/param fast/);
    expect(errors[2]).toMatch(/bad\.csv:3:4: low 'oops' is not a number/);
  });

  it('works through the bin entry with --help (needs the build: npm install or npm run build)', () => {
    if (!existsSync('dist/src/cli/main.js')) return void expect(existsSync('bin/tickerml.js')).toBe(true);
    const r = spawnSync(process.execPath, ['bin/tickerml.js', 'backtest', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--compat <engine>/);
    expect(r.stdout).toMatch(/--slippage-bps/);
  });
});
