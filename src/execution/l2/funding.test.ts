import { describe, expect, it } from 'vitest';
import { FundingModel } from './funding.js';

const H = 3_600_000_000;
const DAY = 24 * H;
const T0 = Date.UTC(2024, 0, 2) * 1000; // 2024-01-02 00:00 UTC in µs

describe('FundingModel', () => {
  it('funds at 00:00, 08:00 and 16:00 UTC by default', () => {
    const f = new FundingModel();
    expect(f.nextFundingAfter(T0 + 1)).toBe(T0 + 8 * H);
    expect(f.nextFundingAfter(T0)).toBe(T0 + 8 * H);
    expect(f.nextFundingAtOrAfter(T0)).toBe(T0);
    expect(f.nextFundingAfter(T0 + 16 * H + 5)).toBe(T0 + DAY);
    expect(f.isFundingTime(T0 + 16 * H)).toBe(true);
    expect(f.isFundingTime(T0 + 12 * H)).toBe(false);
    const hourly = new FundingModel({ intervalHours: 1 });
    expect(hourly.nextFundingAfter(T0 + 90 * 60_000_000)).toBe(T0 + 2 * H);
    const shifted = new FundingModel({ intervalHours: 8, offsetHours: 4 });
    expect(shifted.nextFundingAfter(T0)).toBe(T0 + 4 * H);
  });

  it('positive rate: a long pays, a short receives; negative rate the other way round', () => {
    const f = new FundingModel();
    expect(f.paymentFor(2, 50_000)).toBe(0); // no rate yet
    f.onRate(0.0001, T0 - 1);
    // 2 BTC × 50,000 × 0.01% = 10
    expect(f.paymentFor(2, 50_000)).toBeCloseTo(-10, 9);
    expect(f.paymentFor(-2, 50_000)).toBeCloseTo(10, 9);
    f.onRate(-0.0003, T0);
    expect(f.paymentFor(1, 40_000)).toBeCloseTo(12, 9);
    expect(f.paymentFor(-1, 40_000, 0.001)).toBeCloseTo(-0.012, 12);
  });

  it('rejects bad schedules and rates', () => {
    expect(() => new FundingModel({ intervalHours: 7 })).toThrow(/funding.intervalHours/);
    expect(() => new FundingModel({ offsetHours: 8 })).toThrow(/funding.offsetHours/);
    expect(() => new FundingModel().onRate(2, 0)).toThrow(/funding.rate/);
  });
});
