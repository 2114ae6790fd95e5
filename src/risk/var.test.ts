import { describe, expect, it } from 'vitest';
import { TickerError } from '../model/index.js';
import { RollingCovariance, covarianceMatrix } from './covariance.js';
import {
  historicalES,
  historicalVaR,
  normalQuantile,
  parametricES,
  parametricVaR,
  portfolioVaR,
} from './var.js';

describe('VaR and Expected Shortfall', () => {
  const r = [-0.1, -0.05, -0.03, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06];

  it('historical, one period: interpolated 5% quantile and the mean beyond it', () => {
    expect(historicalVaR(r, 0.95)).toBeCloseTo(0.075, 15); // halfway between −10% and −5%
    expect(historicalES(r, 0.95)).toBeCloseTo(0.1, 15);
    expect(historicalVaR(r, 0.8)).toBeCloseTo(0.03, 15);
    expect(historicalES(r, 0.8)).toBeCloseTo(0.06, 15);
  });

  it('historical over a horizon uses overlapping compounded returns', () => {
    // Two-period returns of [−10%, +10%, −10%]: −1%, −1%.
    expect(historicalVaR([-0.1, 0.1, -0.1], 0.95, 2)).toBeCloseTo(0.01, 15);
  });

  it('parametric normal: z(95%) = 1.6448536…, ES uses φ(z)/(1 − c)', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(parametricVaR({ mu: 0, sd: 0.01 }, 0.95)).toBeCloseTo(0.016448536269514722, 10);
    expect(parametricVaR({ mu: 0.001, sd: 0.01 }, 0.99, 4)).toBeCloseTo(
      -0.004 + 2.3263478740408408 * 0.02,
      9,
    );
    // φ(1.6448536) / 0.05 = 2.0627128
    expect(parametricES({ mu: 0, sd: 0.01 }, 0.95)).toBeCloseTo(0.020627128, 8);
    expect(() => parametricVaR(r, 1)).toThrow(TickerError);
  });

  it('portfolio VaR from weights and covariance', () => {
    const cov = [
      [0.0001, 0.00005],
      [0.00005, 0.0004],
    ];
    // wᵀΣw with w = (0.5, 0.5) = 0.25 × (0.0001 + 2 × 0.00005 + 0.0004) = 0.00015
    expect(portfolioVaR([0.5, 0.5], cov, 0.95)).toBeCloseTo(1.6448536269514722 * Math.sqrt(0.00015), 9);
  });

  it('rolling covariance equals the batch covariance of the window', () => {
    const a = [0.01, -0.02, 0.03, 0.0, 0.015, -0.01, 0.02];
    const b = [0.02, -0.01, 0.025, 0.005, 0.01, -0.02, 0.03];
    const rc = new RollingCovariance(2, 4);
    for (let i = 0; i < a.length; i++) rc.push([a[i]!, b[i]!]);
    const batch = covarianceMatrix([a.slice(-4), b.slice(-4)]);
    const got = rc.covariance();
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(got[i]![j]).toBeCloseTo(batch[i]![j]!, 15);
    expect(rc.correlation()[0]![1]).toBeCloseTo(batch[0]![1]! / Math.sqrt(batch[0]![0]! * batch[1]![1]!), 12);
  });
});
