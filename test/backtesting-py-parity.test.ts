import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../src/data/csv-bars.js';
import { BacktestEngine } from '../src/engine/backtest.js';
import { defaultInstrument } from '../src/model/index.js';
import { SmaCross } from '../src/strategies/index.js';

/**
 * Migration parity: backtesting.py 0.6's Quick Start runs SmaCross(10, 20) with position.close() then
 * buy()/sell() on GOOG (cash 10,000, commission 0.2%) and prints the table below (published in its
 * documentation). `--compat backtesting.py` must reproduce it. The trade-level numbers are also worked
 * out independently below from the trade list.
 */
const PUBLISHED: Record<string, number | string> = {
  'Exposure Time [%]': 94.27,
  'Equity Final [$]': 56263.52,
  'Equity Peak [$]': 56309.06,
  'Commissions [$]': 10563.95,
  'Return [%]': 462.64,
  'Buy & Hold Return [%]': 607.37,
  'Return (Ann.) [%]': 22.47,
  'Volatility (Ann.) [%]': 37.41,
  'CAGR [%]': 14.99,
  'Sharpe Ratio': 0.6,
  'Sortino Ratio': 1.14,
  'Calmar Ratio': 0.66,
  'Alpha [%]': 450.62,
  Beta: 0.02,
  'Max. Drawdown [%]': -33.93,
  'Avg. Drawdown [%]': -6.16,
  'Max. Drawdown Duration': '830 days 00:00:00',
  'Avg. Drawdown Duration': '50 days 00:00:00',
  '# Trades': 93,
  'Win Rate [%]': 54.84,
  'Best Trade [%]': 57.43,
  'Worst Trade [%]': -16.4,
  'Avg. Trade [%]': 2.16,
  'Max. Trade Duration': '121 days 00:00:00',
  'Avg. Trade Duration': '32 days 00:00:00',
  'Profit Factor': 2.27,
  'Expectancy [%]': 2.69,
  SQN: 2.01,
  'Kelly Criterion': 0.26,
};

function runGoog(compat: boolean) {
  const { series } = readCsvBars('test/fixtures/backtesting_py/GOOG.csv');
  const e = new BacktestEngine({
    cash: 10_000,
    commission: 0.002,
    ...(compat ? { compat: 'backtesting.py' as const } : {}),
  });
  e.addInstrument(defaultInstrument('GOOG'), series).addStrategy(
    new SmaCross({ fast: 10, slow: 20, short: true }),
  );
  return { result: e.run(), series };
}

describe('backtesting.py parity on GOOG daily data', () => {
  const { result, series } = runGoog(true);

  it('reproduces every published statistic to its printed precision', () => {
    expect(result.stats['Start']).toBe('2004-08-19 00:00:00');
    expect(result.stats['End']).toBe('2013-03-01 00:00:00');
    expect(result.stats['Duration']).toBe('3116 days 00:00:00');
    for (const [k, v] of Object.entries(PUBLISHED)) {
      const got = result.stats[k];
      if (typeof v === 'string') expect(got, k).toBe(v);
      else
        expect(Math.abs((got as number) - v), `${k}: got ${got}, published ${v}`).toBeLessThanOrEqual(
          0.005 + 1e-9,
        );
    }
  });

  it('agrees with an independent recomputation from the trades and the equity curve', () => {
    const t = result.trades;
    // Fees: 0.2% of each fill's notional, both legs.
    const fees = t.reduce((a, x) => a + 0.002 * Math.abs(x.size) * (x.entryPrice + x.exitPrice), 0);
    expect(fees).toBeCloseTo(result.stats['Commissions [$]'] as number, 6);
    // Every trade enters at the open of the bar after the cross and exits at the open of a later bar.
    for (const x of t) {
      expect(x.entryPrice).toBe(series.open[x.entryBar]);
      expect(x.exitPrice).toBe(series.open[x.exitBar]);
    }
    // Final equity: cash plus the open trade (93 closed trades; the last one stays open at the end).
    const closedPnl = t.reduce((a, x) => a + x.size * (x.exitPrice - x.entryPrice), 0);
    const open = result.kernel.portfolio.positions()[0]!;
    const last = series.close[series.length - 1]!;
    // The last fill opened the trade that is still open; its entry fee left cash too.
    const openEntryFee = result.fills.at(-1)!.fee;
    const expected = 10_000 + closedPnl - fees - openEntryFee + open.quantity * (last - open.averagePrice);
    expect(result.equity[result.equity.length - 1]).toBeCloseTo(expected, 6);
    // Sizing: each entry buys floor(cash / (price × 1.002)) whole shares.
    const firstEntry = t[0]!;
    expect(Math.abs(firstEntry.size)).toBe(
      Math.floor((10_000 * (1 - 2 ** -52)) / (firstEntry.entryPrice * 1.002)),
    );
  });

  it('native mode closes the last trade at the last close and counts it', () => {
    const native = runGoog(false).result;
    expect(native.stats['# Trades']).toBe(94);
    expect(native.kernel.portfolio.positions()[0]!.quantity).toBe(0);
    // Native trade statistics are net of fees.
    const r = native.trades.map((x) => x.returnPct);
    expect(native.stats['Expectancy [%]']).toBeCloseTo((r.reduce((a, b) => a + b, 0) / r.length) * 100, 10);
  });

  it('is deterministic: two runs give identical equity curves and fills', () => {
    const again = runGoog(true).result;
    expect(Array.from(again.equity)).toEqual(Array.from(result.equity));
    expect(again.fills.map((f) => [f.id, f.price, f.quantity])).toEqual(
      result.fills.map((f) => [f.id, f.price, f.quantity]),
    );
  });
});
