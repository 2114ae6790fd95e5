import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktestCommand } from './backtest.js';
import { main } from './main.js';
import { parseStrategySpecs } from './strategy-args.js';
import { listStrategies } from './strategies.js';

// Google daily bars 2004-08-19 … 2013-03-01 (backtesting.py's test data; examples/data/ORIGIN.md).
const GOOG = 'examples/data/GOOG.csv';
const base = {
  data: [GOOG],
  param: [] as string[],
  cash: '10000',
  commission: '0.002',
  fill: 'next-open' as const,
  currency: 'USD',
  lotSize: '1',
  tickSize: '0.01',
  quiet: true,
};

interface Out {
  stats: Record<string, number | string | null>;
  trades: Record<string, unknown>[];
  strategies: {
    id: string;
    strategy: string;
    params: Record<string, unknown>;
    allocation: number;
    startingCash: number;
    finalEquity: number;
    pnl: number;
    fees: number;
    trades: number;
    fills: number;
    stats: Record<string, number | string | null>;
  }[];
}

function run(o: Partial<typeof base> & { strategy: string | string[]; allocation?: string[] }): {
  out: string;
  json: Out;
} {
  const file = join(mkdtempSync(join(tmpdir(), 'tickerml-multi-')), 'out.json');
  let out = '';
  expect(runBacktestCommand({ ...base, ...o, json: file }, (s) => (out += s))).toBe(0);
  return { out, json: JSON.parse(readFileSync(file, 'utf8')) as Out };
}

async function fails(args: string[]): Promise<string> {
  const errors: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
  try {
    expect(await main(['node', 'tickerml', 'backtest', '--data', GOOG, ...args])).toBe(2);
  } finally {
    process.stderr.write = orig;
  }
  return errors.join('');
}

describe('tickerml backtest with several strategies', () => {
  it('runs each strategy on its own share of the cash; the combined account is their sum', () => {
    const multi = run({
      strategy: ['sma-cross', 'rsi-reversion'],
      param: ['sma-cross.fast=5', 'oversold=35', 'trendFilter=false'],
    });
    // Each sleeve is exactly the strategy run alone on half the cash.
    const sma = run({ strategy: 'sma-cross', param: ['fast=5'], cash: '5000' }).json;
    const rsi = run({
      strategy: 'rsi-reversion',
      param: ['oversold=35', 'trendFilter=false'],
      cash: '5000',
    }).json;
    const [a, b] = multi.json.strategies;
    expect(a!.id).toBe('sma-cross');
    expect(a!.params).toMatchObject({ fast: 5, slow: 20 });
    expect(b!.params).toMatchObject({ oversold: 35, trendFilter: false, rsiPeriod: 14 });
    expect(a!.stats).toEqual(sma.stats);
    expect(b!.stats).toEqual(rsi.stats);
    expect(a!.startingCash).toBe(5000);
    expect(a!.finalEquity).toBe(sma.stats['Equity Final [$]']);
    expect(b!.finalEquity).toBe(rsi.stats['Equity Final [$]']);
    expect(a!.trades).toBe(sma.stats['# Trades']);
    expect(a!.fees).toBeCloseTo(sma.stats['Commissions [$]'] as number, 6); // every trade closed at the end
    // The combined statistics are the sum's: equity, trades, fees; with equal shares the return is the mean.
    const s = multi.json.stats;
    expect(s['Equity Final [$]']).toBeCloseTo(a!.finalEquity + b!.finalEquity, 6);
    expect(a!.pnl + b!.pnl).toBeCloseTo((s['Equity Final [$]'] as number) - 10000, 6);
    expect(s['Return [%]']).toBeCloseTo(
      ((sma.stats['Return [%]'] as number) + (rsi.stats['Return [%]'] as number)) / 2,
      9,
    );
    expect(s['# Trades']).toBe(a!.trades + b!.trades);
    expect(multi.json.trades).toHaveLength(a!.trades + b!.trades);
    expect(s['Commissions [$]']).toBeCloseTo(a!.fees + b!.fees, 6);
    // Buy & Hold starts at the earliest warm-up (here rsi-reversion's, shorter than sma-cross's 19 bars).
    expect(s['Buy & Hold Return [%]']).toBe(rsi.stats['Buy & Hold Return [%]']);
    expect(s['Buy & Hold Return [%]']).not.toBe(sma.stats['Buy & Hold Return [%]']);
    // The old keys keep backtesting.py's names.
    expect(Object.keys(multi.json.trades[0]!)).toEqual(
      expect.arrayContaining(['EntryBar', 'PnL', 'ReturnPct']),
    );
    expect(multi.out).toMatch(/Per strategy/);
    expect(multi.out).toMatch(/^sma-cross\s+50\.0%\s+5000\.00/m);
    expect(multi.out).toMatch(/^rsi-reversion\s+50\.0%\s+5000\.00/m);
  });

  it('allocates capital by --allocation, the rest stays cash; labels tell two runs of one strategy apart', () => {
    const { json, out } = run({
      strategy: ['sma-cross:quick', 'sma-cross:slow'],
      param: ['quick.fast=5', 'quick.slow=15', 'slow.fast=20', 'slow.slow=50'],
      allocation: ['quick=0.5', 'slow=0.3'],
    });
    expect(json.strategies.map((x) => [x.id, x.strategy, x.startingCash])).toEqual([
      ['quick', 'sma-cross', 5000],
      ['slow', 'sma-cross', 3000],
    ]);
    const slowAlone = run({ strategy: 'sma-cross', param: ['fast=20', 'slow=50'], cash: '3000' }).json;
    expect(json.strategies[1]!.stats).toEqual(slowAlone.stats);
    const [q, s] = json.strategies;
    expect(json.stats['Equity Final [$]']).toBeCloseTo(q!.finalEquity + s!.finalEquity + 2000, 6);
    expect(out).toMatch(/2000\.00 unallocated/);
  });

  it('keeps one strategy as before, with its attribution under "strategies"', () => {
    const { json } = run({ strategy: 'sma-cross', param: ['fast=10', 'slow=20'] });
    expect(json.strategies).toHaveLength(1);
    expect(json.strategies[0]!.pnl).toBeCloseTo((json.stats['Equity Final [$]'] as number) - 10000, 9);
    expect(json.strategies[0]!.trades).toBe(json.stats['# Trades']);
  });

  it('refuses ambiguous or misdirected parameters and bad allocations, saying what to write', async () => {
    expect(
      await fails(['--strategy', 'sma-cross', '--strategy', 'ma-cross-confidence', '--param', 'fast=5']),
    ).toMatch(
      /is ambiguous: sma-cross and ma-cross-confidence both have 'fast'; scope it, e\.g\. --param sma-cross\.fast=5/,
    );
    expect(
      await fails(['--strategy', 'sma-cross', '--strategy', 'rsi-reversion', '--param', 'nope=1']),
    ).toMatch(/none of the strategies \(sma-cross, rsi-reversion\) has a parameter 'nope'/);
    expect(await fails(['--strategy', 'sma-cross', '--param', 'rsi.fast=1'])).toMatch(
      /no strategy 'rsi' was given/,
    );
    expect(await fails(['--strategy', 'sma-cross', '--strategy', 'sma-cross'])).toMatch(
      /label each run, e\.g\. --strategy sma-cross:a --strategy sma-cross:b/,
    );
    expect(
      await fails([
        '--strategy',
        'sma-cross',
        '--strategy',
        'rsi-reversion',
        '--allocation',
        'sma-cross=0.5',
      ]),
    ).toMatch(/give every strategy an allocation, or none/);
    expect(
      await fails([
        '--strategy',
        'sma-cross',
        '--strategy',
        'rsi-reversion',
        '--allocation',
        'sma-cross=0.7',
        '--allocation',
        'rsi-reversion=0.4',
      ]),
    ).toMatch(/sum to at most 1/);
    // A scoped parameter is still validated by the strategy's schema.
    expect(
      await fails(['--strategy', 'sma-cross', '--strategy', 'rsi-reversion', '--param', 'sma-cross.fast=x']),
    ).toMatch(/strategy sma-cross: param fast/);
  });

  it('parses specs: unscoped params go to the one strategy that has them; default shares are equal', () => {
    const specs = parseStrategySpecs(
      ['sma-cross', 'rsi-reversion', 'momentum-trend:mt'],
      ['oversold=25', 'sma-cross.fast=3', 'mt.maxUnits=2', 'fraction=0.5'],
    );
    expect(specs).toEqual([
      { id: 'sma-cross', name: 'sma-cross', params: { fast: '3', fraction: '0.5' }, allocation: 1 / 3 },
      { id: 'rsi-reversion', name: 'rsi-reversion', params: { oversold: '25' }, allocation: 1 / 3 },
      { id: 'mt', name: 'momentum-trend', params: { maxUnits: '2' }, allocation: 1 / 3 },
    ]);
  });
});

describe('tickerml strategies', () => {
  it('lists every strategy with each parameter and its default, L2 strategies marked', () => {
    const list = listStrategies();
    expect(list.map((s) => [s.name, s.data])).toEqual([
      ['sma-cross', 'bars'],
      ['rsi-reversion', 'bars'],
      ['momentum-trend', 'bars'],
      ['ma-cross-confidence', 'bars'],
      ['market-maker', 'l2'],
      ['book-imbalance', 'l2'],
    ]);
    const sma = list[0]!.params;
    expect(sma.map((p) => [p.name, p.default, p.type])).toEqual([
      ['fast', 10, 'integer'],
      ['slow', 20, 'integer'],
      ['short', false, 'boolean'], // through z.preprocess: the JSON Schema export loses this default
      ['fraction', 1 - 2 ** -52, 'number'],
    ]);
    expect(sma[0]).toMatchObject({ range: '>= 1', required: false, description: 'fast SMA period (bars)' });
    const mac = list.find((s) => s.name === 'ma-cross-confidence')!.params.find((p) => p.name === 'ma')!;
    expect(mac).toMatchObject({ default: 'ema', choices: ['ema', 'sma'] });
    const obi = list.find((s) => s.name === 'book-imbalance')!;
    expect(obi.command).toBe('backtest-l2');
    expect(obi.params.find((p) => p.name === 'mode')).toMatchObject({ default: 'orders' });
    expect(obi.params.find((p) => p.name === 'entry')).toMatchObject({ default: 0.4, range: '> 0, < 1' });
  });

  it('prints the listing and --json', async () => {
    let text = '';
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((text += s), true)) as typeof process.stdout.write;
    try {
      expect(await main(['node', 'tickerml', 'strategies'])).toBe(0);
      const plain = text;
      text = '';
      expect(await main(['node', 'tickerml', 'strategies', '--json'])).toBe(0);
      expect(plain).toMatch(/^ {4}--param fast=10 +fast SMA period \(bars\) \(integer, >= 1\)$/m);
      expect(plain).toMatch(/^ {4}--param trendFilter=true /m);
      expect(plain).toMatch(
        /^market-maker {2}\[L2: order books \+ trades, run with `tickerml backtest-l2`\]$/m,
      );
    } finally {
      process.stdout.write = orig;
    }
    const json = JSON.parse(text) as {
      strategies: { name: string; params: { name: string; default: unknown }[] }[];
    };
    expect(json.strategies).toHaveLength(6);
    expect(json.strategies[1]!.params.find((p) => p.name === 'trendPeriod')!.default).toBe(200);
  });
});
