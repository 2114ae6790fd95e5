import { describe, expect, it } from 'vitest';
import { Random } from '../core/index.js';
import { deflatedSharpe, expectedMaxSharpe, moments } from './deflated-sharpe.js';
import { normalCdf, normalQuantile } from '../risk/normal.js';
import { probabilityOfOverfitting } from './overfitting.js';

/** ±1 returns with as many of each, shuffled: every half's mean is minus the other half's. */
function balancedSigns(T: number, rnd: Random): Float64Array {
  const x = new Float64Array(T);
  for (let i = 0; i < T; i++) x[i] = i < T / 2 ? 1 : -1;
  for (let i = T - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [x[i], x[j]] = [x[j]!, x[i]!];
  }
  return x;
}

describe('probabilityOfOverfitting (CSCV)', () => {
  it('is 1 when the in-sample best is always the out-of-sample worst', () => {
    // Each column sums to zero and takes only ±1, so its Sharpe on a half rises with the half's mean and
    // the other half's mean is exactly the negative: in-sample best ⇒ out-of-sample worst, every split.
    const rnd = new Random(11);
    const cols = [0, 1, 2, 3, 4].map(() => balancedSigns(32, rnd));
    const r = probabilityOfOverfitting(cols, 8);
    expect(r.splits).toBe(70);
    expect(r.pbo).toBe(1);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(1 / 5), 12);
  });

  it('is 0 when one trial is best everywhere', () => {
    const rnd = new Random(12);
    const cols = [0, 1, 2].map(() => balancedSigns(32, rnd));
    cols.push(Float64Array.from({ length: 32 }, (_, i) => (i % 2 ? 2 : 1)));
    const r = probabilityOfOverfitting(cols, 4);
    expect(r.splits).toBe(6);
    expect(r.pbo).toBe(0);
    expect(r.probabilityOfLoss).toBe(0);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(4 / 5 / (1 / 5)), 12);
  });

  it('refuses an odd number of partitions', () => {
    expect(() =>
      probabilityOfOverfitting(
        [
          [1, 2, 3, 4],
          [1, 2, 3, 4],
        ],
        3,
      ),
    ).toThrow(/partitions.*even/);
  });
});

describe('deflatedSharpe', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014)', () => {
    // N = 100 trials, annualized variance of their Sharpe ratios 0.5, best annualized SR 2.5, T = 1250
    // daily returns (250 a year), skew −3, kurtosis 10 ⇒ SR₀ ≈ 0.1132 per day and DSR ≈ 0.9004.
    const r = deflatedSharpe({
      sharpe: 2.5 / Math.sqrt(250),
      trials: 100,
      sharpeVariance: 0.5 / 250,
      observations: 1250,
      skew: -3,
      kurtosis: 10,
    });
    expect(r.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
    expect(r.dsr).toBeCloseTo(0.9004, 3);
  });

  it('gives 0.5 when the Sharpe equals the expected maximum of skill-less trials', () => {
    const sr0 = expectedMaxSharpe(50, 0.01);
    expect(
      deflatedSharpe({ sharpe: sr0, trials: 50, sharpeVariance: 0.01, observations: 500 }).dsr,
    ).toBeCloseTo(0.5, 6);
  });

  it('has an accurate normal distribution and moments', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 6);
    const m = moments([1, 2, 3, 4, 10]);
    expect(m.mean).toBe(4);
    expect(m.variance).toBeCloseTo(12.5, 12);
    expect(m.skew).toBeCloseTo(1.1384199576606167, 10);
  });
});
