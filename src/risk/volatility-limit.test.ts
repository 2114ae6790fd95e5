import { describe, expect, it } from 'vitest';
import { Instrument, Order, clientOrderId, instrumentId, orderId, strategyId } from '../model/index.js';
import { parseRiskConfig } from './config.js';
import { createRiskEngine } from './create.js';
import { PriceHistory } from './price-history.js';
import type { RiskView } from './risk-engine.js';
import { volatilityScaledPositionRule } from './standard-rules.js';

const A = new Instrument({ id: 'A', kind: 'equity', base: 'A', quote: 'USD', tickSize: 0.01, lotSize: 1 });
const view: RiskView = {
  instrument: () => A,
  position: () => undefined,
  equity: () => 10_000,
  lastPrice: () => 100,
  openOrderCount: () => 0,
  positions: () => [],
};
let n = 0;
const buy = (quantity: number) => {
  const id = orderId(`V-${++n}`);
  return new Order({
    id,
    clientOrderId: clientOrderId(id),
    instrumentId: instrumentId('A'),
    strategyId: strategyId('s'),
    side: 'buy',
    type: 'market',
    quantity,
    ts: 0,
  });
};

/** Prices that alternate returns of +a and −a: the step returns are exactly ±a. */
function alternate(h: PriceHistory, start: number, a: number, steps: number): number {
  let p = start;
  for (let i = 0; i < steps; i++) {
    p *= i % 2 === 0 ? 1 + a : 1 - a;
    h.recordStep([p]);
  }
  return p;
}

const sampleStd = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('volatility-scaled position limit', () => {
  const config = parseRiskConfig({
    volatilityScaling: { targetVolatility: 0.2, periodsPerYear: 252, window: 20, minObservations: 10 },
  });

  it('the price history keeps the realized volatility of the last `window` returns in O(1)', () => {
    const h = new PriceHistory(60, 20);
    h.register('A');
    h.recordStep([100]);
    expect(h.volObservations('A')).toBe(0);
    const prices = [100];
    // 1,000 steps of a deterministic uneven path: the running sums must equal a direct computation.
    for (let i = 1; i <= 1000; i++) {
      const r = 0.01 * Math.sin(i * 0.7) + 0.003 * Math.cos(i * 2.3);
      prices.push(prices[i - 1]! * (1 + r));
      h.recordStep([prices[i]!]);
      if (i === 15 || i === 20 || i === 333 || i === 1000) {
        const rets = prices.slice(-Math.min(i, 20) - 1).map((p, k, ps) => (k ? p / ps[k - 1]! - 1 : NaN));
        const last = rets.slice(1);
        expect(h.volObservations('A')).toBe(last.length);
        expect(Math.abs(h.stepVolatility('A') / sampleStd(last) - 1)).toBeLessThan(1e-9);
      }
    }
  });

  it('calm market: the plain limit applies (the scale is capped at 1)', () => {
    const h = new PriceHistory(60, 20);
    h.register('A');
    h.recordStep([100]);
    alternate(h, 100, 0.001, 20); // σ ≈ 0.001 × √(20/19) × √252 ≈ 1.6% a year, below the 20% target
    const rule = volatilityScaledPositionRule(config, h);
    expect(rule.check(buy(25), view)).toBeNull(); // 25% = the full maxPositionShare
  });

  it('volatile market: the limit shrinks by target / realized volatility', () => {
    const h = new PriceHistory(60, 20);
    h.register('A');
    h.recordStep([100]);
    alternate(h, 100, 0.05, 20);
    // 20 returns of ±5%: sample std = 0.05 × √(20/19); annualized × √252.
    const realized = 0.05 * Math.sqrt(20 / 19) * Math.sqrt(252);
    const limit = 0.25 * (0.2 / realized); // ≈ 6.1% of equity
    expect(limit).toBeGreaterThan(0.06);
    expect(limit).toBeLessThan(0.062);
    const rule = volatilityScaledPositionRule(config, h);
    expect(rule.check(buy(6), view)).toBeNull(); // 600 = 6%
    const d = rule.check(buy(7), view)!; // 700 = 7%
    expect(d.rule).toBe('vol-scaled-position');
    expect(Math.abs(d.limit! / limit - 1)).toBeLessThan(1e-9);
    expect(d.actual).toBeCloseTo(0.07, 12);
    expect(d.message).toContain('realized 81.4% volatility');
  });

  it('too few returns: unknown volatility, the rule passes (max-position still applies)', () => {
    const h = new PriceHistory(60, 20);
    h.register('A');
    h.recordStep([100]);
    alternate(h, 100, 0.05, 9);
    expect(volatilityScaledPositionRule(config, h).check(buy(20), view)).toBeNull();
  });

  it('createRiskEngine adds the rule only when configured, after max-position', () => {
    expect(createRiskEngine({}).ruleNames()).not.toContain('vol-scaled-position');
    const names = createRiskEngine({ volatilityScaling: { targetVolatility: 0.2 } }).ruleNames();
    expect(names.indexOf('vol-scaled-position')).toBe(names.indexOf('max-position') + 1);
    const risk = createRiskEngine({ volatilityScaling: { targetVolatility: 0.2 } });
    expect(risk.history.volWindow).toBe(20);
  });
});
