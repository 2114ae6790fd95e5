import { describe, expect, it } from 'vitest';
import * as A from './analytics.js';

/**
 * Reference values from empyrical's own test suite (quantopian/empyrical, empyrical/tests/test_stats.py
 * @ 2cbc9b3cb30e595ac96a87b486ebae7c5c102d29): the same return series, the published expected results,
 * checked to 1e-9 relative here (empyrical asserts 8 decimal places).
 */
const pct = (xs: number[]) => xs.map((x) => x / 100);
const simpleBenchmark = pct([1, 1, 1, 1, 1, 1, 1, 1, 1]);
const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
/**
 * mixed_returns is [NaN, 1, 10, −4, 2, 3, 2, 1, −10] %. That empyrical version's cum_returns set a leading
 * NaN to 0 in place, and the test class shares one Series object, so its published values for this
 * series were computed on [0, 1, 10, …]: we check them on that series. (Dropping the NaN instead, our
 * convention, is what later empyrical versions do; `mixedNaN` checks that NaN handling separately.)
 */
const mixed = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
const mixedNaN = pct([Number.NaN, 1, 10, -4, 2, 3, 2, 1, -10]);
const weekly = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
const monthly = weekly;
const one = [
  -0.00171614, 0.01322056, 0.03063862, -0.01422057, -0.00489779, 0.01268925, -0.03357711, 0.01797036,
];
const two = [0.01846232, 0.00793951, -0.01448395, 0.00422537, -0.00339611, 0.03756813, 0.0151531, 0.03549769];

function close(actual: number, expected: number): void {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  if (expected === 0) return expect(Math.abs(actual)).toBeLessThan(1e-12);
  expect(Math.abs(actual / expected - 1)).toBeLessThan(1e-9);
}

const DAY = 86_400_000_000;
const daysFrom = (y: number, m: number, d: number, n: number) =>
  Array.from({ length: n }, (_, i) => Date.UTC(y, m - 1, d) * 1000 + i * DAY);

describe('analytics against empyrical reference values', () => {
  it('max drawdown', () => {
    close(A.maxDrawdown([]), Number.NaN);
    close(A.maxDrawdown(pct([1])), 0);
    close(A.maxDrawdown(simpleBenchmark), 0);
    close(A.maxDrawdown(mixed), -0.1);
    close(A.maxDrawdown(positive), 0);
    close(A.maxDrawdown(negative), -0.36590730349873601);
    close(A.maxDrawdown(pct([10, -10, 10])), -0.1);
  });

  it('annual return, CAGR, annual volatility, Calmar', () => {
    close(A.annualReturn(mixed, 252), 1.9135925373194231);
    close(A.annualReturn(weekly, 52), 0.24690830513998208);
    close(A.annualReturn(monthly, 12), 0.052242061386048144);
    close(A.cagr(pct([1]), 252), 11.274002099240244);
    close(A.cagr(pct([3, 3, 3]), 1), 0.03);
    close(A.annualVolatility(simpleBenchmark, 252), 0);
    close(A.annualVolatility(mixed, 252), 0.8552777326693359);
    close(A.annualVolatility(weekly, 52), 0.38851569394870583);
    close(A.annualVolatility(monthly, 12), 0.18663690238892558);
    close(A.calmar(pct([1]), 252), Number.NaN);
    close(A.calmar(mixed, 252), 19.135925373194233);
    close(A.calmar(weekly, 52), 2.4690830513998208);
    close(A.calmar(monthly, 12), 0.52242061386048144);
  });

  it('omega', () => {
    close(A.omega([], 0, 0), Number.NaN);
    close(A.omega(mixed, 0, 10), 0.78629772289706013);
    close(A.omega(mixed, 0, -10), Number.NaN);
    close(A.omega(mixed, simpleBenchmark, 0), 0.76470588235294112);
    close(A.omega(positive, 0.01, 0), Number.NaN);
    close(A.omega(positive, 0.011, 0), 1.125);
    close(A.omega(positive, 0.02, 0), 0);
    close(A.omega(negative, 0.01, 0), 0);
  });

  it('Sharpe', () => {
    close(A.sharpe([]), Number.NaN);
    close(A.sharpe(pct([1])), Number.NaN);
    close(A.sharpe(mixed, mixed), Number.NaN);
    close(A.sharpe(mixed, 0), 1.6368951821422701);
    close(A.sharpe(mixed, simpleBenchmark), -1.3095161457138154);
    close(A.sharpe(positive, 0), 52.915026221291804);
    close(A.sharpe(negative, 0), -24.406808633910085);
  });

  it('downside risk and Sortino', () => {
    close(A.downsideRisk([]), Number.NaN);
    close(A.downsideRisk(pct([1])), 0);
    close(A.downsideRisk(mixed, mixed), 0);
    close(A.downsideRisk(mixed, 0), 0.5699122739510003);
    close(A.downsideRisk(mixed, 0.1), 1.7023513150933332);
    close(A.downsideRisk(weekly, 0, 52), 0.25888650451930134);
    close(A.downsideRisk(weekly, 0.1, 52), 0.7733045971672482);
    close(A.downsideRisk(monthly, 0, 12), 0.1243650540411842);
    close(A.downsideRisk(monthly, 0.1, 12), 0.37148351242013422);
    close(A.downsideRisk(one, 0), 0.20671788246185202);
    close(A.downsideRisk(two, 0), 0.083495680595704475);
    close(A.downsideRisk(one, 0, 52), 0.093902996054410062);
    close(A.downsideRisk(two, 0, 12), 0.018220251263412916);
    close(A.sortino([]), Number.NaN);
    close(A.sortino(pct([1])), Number.NaN);
    close(A.sortino(mixed, mixed), Number.NaN);
    close(A.sortino(mixed, 0), 2.456518422202588);
    close(A.sortino(mixed, simpleBenchmark), -1.7457431218879385);
    close(A.sortino(positive, 0), Infinity);
    close(A.sortino(negative, 0), -13.532743075043401);
    close(A.sortino(simpleBenchmark, 0), Infinity);
    close(A.sortino(one, 0), 3.0639640966566306);
    close(A.sortino(two, 0), 38.090963117002495);
    // For weekly and monthly data that empyrical version annualized the downside deviation with 252
    // whatever the period (sortino_ratio called downside_risk without `period`); its published values are
    // ours × √(ppy / 252).
    const old = (r: number[], ppy: number) => A.sortino(r, 0, ppy) * Math.sqrt(ppy / 252);
    close(old(weekly, 52), 0.50690062680370862);
    close(old(monthly, 12), 0.11697706772393276);
    close(old(one, 52), 0.63224655962755871);
    close(old(two, 12), 1.8138553865239282);
  });

  it('information ratio, alpha and beta', () => {
    close(A.informationRatio([], 0), Number.NaN);
    close(A.informationRatio(mixed, 0), 0.10311470414829102);
    close(A.informationRatio(mixed, simpleBenchmark), -0.082491763318632769);
    // negative_returns[1:] aligned by date with mixed_returns: index 0 has no benchmark.
    const bench = [Number.NaN, ...negative.slice(1)];
    // Beta aligns on dates where both exist, so the leading value drops out either way.
    close(A.beta(mixed, bench), -0.71296296296296291);
    close(A.alphaArithmetic(mixed, bench), -8.3066666666666666);
    // empyrical ≥ 0.5 compounds the same mean period alpha: (1 − 8.30666…/252)^252 − 1.
    close(A.alpha(mixed, bench), (1 - 8.3066666666666666 / 252) ** 252 - 1);
    close(A.alpha(mixed, mixed), 0);
    close(A.beta(mixed, mixed), 1);
    close(
      A.beta(
        mixed,
        mixed.map((x) => -x),
      ),
      -1,
    );
    close(A.beta([], simpleBenchmark), Number.NaN);
    close(A.beta(mixed, simpleBenchmark), Number.NaN);
  });

  it('drops missing values: a leading NaN is not a zero return', () => {
    const dropped = mixedNaN.slice(1);
    close(A.sharpe(mixedNaN), A.sharpe(dropped));
    close(A.annualVolatility(mixedNaN), A.annualVolatility(dropped));
    close(A.downsideRisk(mixedNaN), A.downsideRisk(dropped));
    close(A.maxDrawdown(mixedNaN), -0.1);
    // Growth and the period count keep the missing period (empyrical's annual_return): n = 9.
    close(A.annualReturn(mixedNaN), 1.9135925373194231);
  });

  it('stability, tail ratio', () => {
    close(A.stability([]), Number.NaN);
    close(A.stability(mixed), 0.33072113092134847);
    close(A.stability(simpleBenchmark), 1.0);
    close(A.tailRatio([]), Number.NaN);
    close(A.tailRatio(pct([1])), 1.0);
    close(A.tailRatio(mixed), 0.9473684210526313);
  });

  it('aggregate returns by week, month and year', () => {
    const ts = daysFrom(2000, 1, 30, 9);
    const w = A.aggregateReturns(ts, simpleBenchmark, 'weekly');
    expect(w.map((x) => x.period)).toEqual(['2000-W04', '2000-W05', '2000-W06']);
    close(w[0]!.return, 0.010000000000000009);
    close(w[1]!.return, 0.072135352107010053);
    close(w[2]!.return, 0.010000000000000009);
    const m = A.aggregateReturns(ts, simpleBenchmark, 'monthly');
    expect(m.map((x) => x.period)).toEqual(['2000-01', '2000-02']);
    close(m[0]!.return, 0.020100000000000007);
    close(m[1]!.return, 0.072135352107010053);
    close(A.aggregateReturns(ts, simpleBenchmark, 'yearly')[0]!.return, 0.093685272684361109);
    // weekly_returns: Sundays from 2000-01-30; by month.
    const wts = Array.from({ length: 9 }, (_, i) => Date.UTC(2000, 0, 30) * 1000 + i * 7 * DAY);
    const wm = A.aggregateReturns(wts, weekly, 'monthly');
    close(wm[0]!.return, 0);
    close(wm[1]!.return, 0.087891200000000058);
    close(wm[2]!.return, -0.04500459999999995);
    close(A.aggregateReturns(wts, weekly, 'yearly')[0]!.return, 0.038931091700480147);
  });
});

describe('analytics: VaR/CVaR of returns, rolling Sharpe, costs, attribution (hand-computed)', () => {
  it('value at risk and conditional value at risk at 5%', () => {
    const r = pct([-10, -5, -3, -1, 0, 1, 2, 3, 4, 5, 6]);
    // Order statistics, position (11 − 1) × 0.05 = 0.5: halfway between −10% and −5%.
    close(A.valueAtRisk(r, 0.05), -0.075);
    close(A.conditionalValueAtRisk(r, 0.05), -0.1);
    close(A.valueAtRisk(r, 0.2), -0.03);
    close(A.conditionalValueAtRisk(r, 0.2), (-0.1 - 0.05 - 0.03) / 3);
  });

  it('rolling Sharpe equals Sharpe of each window', () => {
    const rs = A.rollingSharpe(two, 4, 252);
    expect(rs.slice(0, 3).every(Number.isNaN)).toBe(true);
    close(rs[7]!, A.sharpe(two.slice(4, 8)));
  });

  it('tracking error, turnover, fee and funding shares, attribution', () => {
    close(
      A.trackingError(one, two, 252),
      A.annualVolatility(
        one.map((x, i) => x - two[i]!),
        252,
      ),
    );
    close(
      A.turnover(
        [
          { quantity: 10, price: 100 },
          { quantity: 10, price: 110 },
        ],
        [1000, 1100, 1200],
      ),
      2100 / 1100,
    );
    const c = A.costShares({ netPnl: 700, fees: 200, funding: 100 });
    close(c.fees, 0.2);
    close(c.funding, 0.1);
    const f = (strategyId: string, realizedPnl: number, fee: number) =>
      ({
        strategyId,
        quantity: 1,
        price: 100,
        realizedPnl,
        fee,
      }) as unknown as import('../model/index.js').Fill;
    const att = A.attributionByStrategy([f('a', 0, 1), f('a', 50, 1), f('b', -20, 2)]);
    expect(att).toEqual([
      { strategyId: 'a', fills: 2, tradedNotional: 200, realizedPnl: 50, fees: 2, netPnl: 48 },
      { strategyId: 'b', fills: 1, tradedNotional: 100, realizedPnl: -20, fees: 2, netPnl: -22 },
    ]);
  });
});
