import { describe, expect, it } from 'vitest';
import {
  Instrument,
  Order,
  Position,
  TickerError,
  clientOrderId,
  instrumentId,
  orderId,
  strategyId,
  type OrderSide,
  type OrderType,
} from '../model/index.js';
import { parseRiskConfig } from './config.js';
import { createRiskEngine } from './create.js';
import { PriceHistory } from './price-history.js';
import type { Denial, RiskView } from './risk-engine.js';
import {
  correlationRule,
  groupExposureRule,
  openOrdersRule,
  orderSizeRule,
  positionLimitRule,
  priceBandRule,
  STANDARD_RULES,
  StandardRules,
  tradingStateRule,
} from './standard-rules.js';
import { TradingStates, isReducing } from './trading-state.js';

const inst = (id: string) =>
  new Instrument({ id, kind: 'equity', base: id, quote: 'USD', tickSize: 0.01, lotSize: 1 });
const INSTS = new Map(['A', 'B', 'C'].map((id) => [id, inst(id)]));

function view(opts: {
  equity?: number;
  last?: Record<string, number>;
  qty?: Record<string, number>;
  open?: number;
  openMine?: number;
}): RiskView {
  const positions = new Map<string, Position>();
  for (const [id, q] of Object.entries(opts.qty ?? {})) {
    const p = new Position(instrumentId(id));
    p.quantity = q;
    p.lastPrice = opts.last?.[id] ?? 100;
    positions.set(id, p);
  }
  return {
    instrument: (id) => INSTS.get(id)!,
    position: (id) => positions.get(id),
    equity: () => opts.equity ?? 10_000,
    lastPrice: (id) => opts.last?.[id] ?? 100,
    openOrderCount: (sid) => (sid ? (opts.openMine ?? 0) : (opts.open ?? 0)),
    positions: () => [...positions.values()],
  };
}

/** StandardRules' two private halves: the quick answer for the usual order, and the whole rules. */
interface QuickAndFull {
  clears(o: Order, v: RiskView): boolean;
  firstDenial(o: Order, v: RiskView): Denial | null;
}

let n = 0;
function order(
  side: OrderSide,
  quantity: number,
  extra: { type?: OrderType; price?: number; id?: string; reduceOnly?: boolean; tag?: string } = {},
): Order {
  const id = orderId(`T-${++n}`);
  return new Order({
    id,
    clientOrderId: clientOrderId(id),
    instrumentId: instrumentId(extra.id ?? 'A'),
    strategyId: strategyId('s'),
    side,
    type: extra.type ?? 'market',
    quantity,
    price: extra.price,
    reduceOnly: extra.reduceOnly,
    tag: extra.tag,
    ts: 0,
  });
}

describe('pre-trade rules: the order just inside each limit passes, the one beyond it is denied', () => {
  it('max position share of equity (default 25%)', () => {
    const rule = positionLimitRule(parseRiskConfig({}));
    expect(rule.check(order('buy', 25), view({}))).toBeNull(); // 2,500 = 25.00%
    const d = rule.check(order('buy', 26), view({}))!;
    expect(d.rule).toBe('max-position');
    expect(d.limit).toBe(0.25);
    expect(d.actual).toBeCloseTo(0.26, 12);
    // A position already beyond the limit (the price rose) may only shrink.
    expect(rule.check(order('sell', 5), view({ qty: { A: 40 } }))).toBeNull();
    expect(rule.check(order('buy', 1), view({ qty: { A: 40 } }))!.rule).toBe('max-position');
    // Per-instrument override (concentration per asset).
    const strict = positionLimitRule(parseRiskConfig({ perInstrumentShare: { A: 0.1 } }));
    expect(strict.check(order('buy', 10), view({}))).toBeNull();
    expect(strict.check(order('buy', 11), view({}))!.limit).toBe(0.1);
  });

  it('minimum order notional (default $10), closing orders exempt', () => {
    const rule = orderSizeRule(parseRiskConfig({}));
    expect(rule.check(order('buy', 1, { type: 'limit', price: 10 }), view({}))).toBeNull();
    const d = rule.check(order('buy', 1, { type: 'limit', price: 9.99 }), view({}))!;
    expect(d).toMatchObject({ rule: 'min-order-notional', limit: 10, actual: 9.99 });
    expect(rule.check(order('sell', 1, { type: 'limit', price: 9.99 }), view({ qty: { A: 1 } }))).toBeNull();
  });

  it('maximum order notional and quantity', () => {
    const rule = orderSizeRule(parseRiskConfig({ maxOrderNotional: 5_000, maxOrderQuantity: 60 }));
    expect(rule.check(order('buy', 50), view({}))).toBeNull();
    expect(rule.check(order('buy', 51), view({}))).toMatchObject({
      rule: 'max-order-notional',
      limit: 5_000,
      actual: 5_100,
    });
    expect(rule.check(order('buy', 60, { type: 'limit', price: 1 }), view({}))).toBeNull();
    expect(rule.check(order('buy', 61, { type: 'limit', price: 1 }), view({}))).toMatchObject({
      rule: 'max-order-quantity',
      limit: 60,
      actual: 61,
    });
  });

  it('maximum open orders per account and per strategy', () => {
    const rule = openOrdersRule({ maxOpenOrders: 3, maxOpenOrdersPerStrategy: 2 });
    expect(rule.check(order('buy', 1), view({ open: 2, openMine: 1 }))).toBeNull();
    expect(rule.check(order('buy', 1), view({ open: 3, openMine: 1 }))).toMatchObject({
      limit: 3,
      actual: 4,
    });
    expect(rule.check(order('buy', 1), view({ open: 2, openMine: 2 }))).toMatchObject({
      limit: 2,
      actual: 3,
    });
  });

  it('price band against the last price, aggressive side only', () => {
    const rule = priceBandRule(0.05);
    expect(rule.check(order('buy', 1, { type: 'limit', price: 105 }), view({}))).toBeNull();
    const d = rule.check(order('buy', 1, { type: 'limit', price: 105.01 }), view({}))!;
    expect(d.rule).toBe('price-band');
    expect(d.actual).toBeCloseTo(0.0501, 12);
    expect(rule.check(order('sell', 1, { type: 'limit', price: 95 }), view({}))).toBeNull();
    expect(rule.check(order('sell', 1, { type: 'limit', price: 94.99 }), view({}))!.rule).toBe('price-band');
    // Passive limits far from the market cannot trade at a bad price.
    expect(rule.check(order('buy', 1, { type: 'limit', price: 50 }), view({}))).toBeNull();
  });

  it('trading states: reducing lets only reducing orders through, halted only the risk layer closing', () => {
    const states = new TradingStates();
    const rule = tradingStateRule(states);
    const v = view({ qty: { A: 10 } });
    expect(rule.check(order('buy', 1), v)).toBeNull();
    states.setAccount('reducing', 'daily loss');
    expect(rule.check(order('buy', 1), v)!.rule).toBe('trading-state');
    expect(rule.check(order('sell', 10), v)).toBeNull();
    expect(rule.check(order('sell', 11), v)!.rule).toBe('trading-state'); // would flip short
    states.setAccount('halted', 'kill switch');
    expect(rule.check(order('sell', 10), v)!.message).toMatch(/halted/);
    expect(rule.check(order('sell', 10, { reduceOnly: true, tag: 'risk:kill-switch' }), v)).toBeNull();
    states.setAccount('active');
    states.setStrategy('s', 'halted', 'strategy stopped by hand');
    expect(rule.check(order('buy', 1), v)!.message).toMatch(/strategy stopped by hand/);
    states.setStrategy('s', 'active');
    states.pause('A', 'price-jump');
    expect(rule.check(order('buy', 1), v)!.rule).toBe('instrument-paused');
    expect(rule.check(order('sell', 1), v)).toBeNull();
  });

  it('one definition of a reducing order: a close that overshoots by float rounding counts in every rule', () => {
    expect(isReducing(40, 0)).toBe(true);
    expect(isReducing(40, 10)).toBe(true);
    expect(isReducing(-40, -10)).toBe(true);
    expect(isReducing(40, -5e-13)).toBe(true); // the close overshot by rounding
    expect(isReducing(-40, 5e-13)).toBe(true);
    expect(isReducing(40, -0.1)).toBe(false); // flips the position
    expect(isReducing(40, 41)).toBe(false); // grows it
    expect(isReducing(0, 5e-13)).toBe(false); // opens one, however small
    // The trading-state rule (halted: only the risk layer's closes pass) and the standard rules' exemption
    // of closing orders from the minimum notional agree on the same order.
    const close = (q: number) => order('sell', q, { reduceOnly: true, tag: 'risk:kill-switch' });
    const states = new TradingStates();
    states.setAccount('halted', 'kill switch');
    const halted = tradingStateRule(states);
    const size = orderSizeRule(parseRiskConfig({}));
    const dust = view({ qty: { A: 0.05 } }); // 0.05 × 100 = $5, below the $10 minimum
    expect(halted.check(close(0.05 + 5e-13), dust)).toBeNull();
    expect(size.check(close(0.05 + 5e-13), dust)).toBeNull();
    expect(halted.check(close(0.06), dust)!.rule).toBe('trading-state');
    expect(size.check(close(0.06), dust)!.rule).toBe('min-order-notional');
  });

  it('group exposure (sector) limit', () => {
    const rule = groupExposureRule({ tech: { members: ['A', 'B'], maxShare: 0.3 } });
    expect(rule.check(order('buy', 10), view({ qty: { B: 20 } }))).toBeNull(); // 1,000 + 2,000 = 30%
    expect(rule.check(order('buy', 11), view({ qty: { B: 20 } }))).toMatchObject({
      rule: 'group-exposure',
      limit: 0.3,
    });
    expect(rule.check(order('buy', 11, { id: 'C' }), view({ qty: { B: 20 } }))).toBeNull(); // C is not in the group
  });

  it('correlation limit denies a second highly correlated position', () => {
    const h = new PriceHistory(30);
    h.register('A');
    h.register('B');
    h.register('C');
    let a = 100;
    let c = 100;
    for (let i = 0; i < 31; i++) {
      a *= 1 + 0.01 * Math.sin(i * 1.7);
      c *= 1 + 0.01 * Math.cos(i * 0.9 + 2);
      h.recordStep([a, 2 * a * (1 + 1e-4 * (i % 3)), c]);
    }
    expect(h.correlation('A', 'B').rho).toBeGreaterThan(0.99);
    expect(Math.abs(h.correlation('A', 'C').rho)).toBeLessThan(0.8);
    const rule = correlationRule({ threshold: 0.8, maxExposure: 0.5, window: 30, minObservations: 20 }, h);
    const v = view({ qty: { A: 30 }, last: { A: 100, B: 100, C: 100 } });
    expect(rule.check(order('buy', 20, { id: 'B' }), v)).toBeNull(); // 3,000 + 2,000 = 50%
    const d = rule.check(order('buy', 30, { id: 'B' }), v)!;
    expect(d).toMatchObject({ rule: 'correlated-exposure', limit: 0.5 });
    expect(d.actual).toBeCloseTo(0.6, 12);
    expect(rule.check(order('buy', 30, { id: 'C' }), v)).toBeNull(); // uncorrelated
    expect(rule.check(order('sell', 30, { id: 'B' }), v)).toBeNull(); // a hedge offsets
  });

  it('all standard rules as one check deny exactly what the rules one by one deny first, in order', () => {
    // StandardRules runs every rule in one function (the engine's hot path); each single-rule factory runs
    // the same function with one rule on. 3,000 random orders against random positions, equity, open
    // orders and trading states: the combined check must return the first single rule's denial, field
    // for field, and pass exactly when every single rule passes.
    const h = new PriceHistory(30, 20);
    for (const id of ['A', 'B', 'C']) h.register(id);
    let a = 100;
    for (let i = 0; i < 31; i++) {
      a *= 1 + 0.02 * Math.sin(i * 1.7);
      h.recordStep([a, 2 * a * (1 + 1e-4 * (i % 3)), 100 + (i % 5)]);
    }
    const states = new TradingStates();
    const config = parseRiskConfig({
      maxOrderNotional: 6_000,
      maxOrderQuantity: 70,
      maxOpenOrders: 5,
      maxOpenOrdersPerStrategy: 3,
      priceBand: 0.05,
      perInstrumentShare: { C: 0.1 },
      groups: { tech: { members: ['A', 'B'], maxShare: 0.6 } },
      correlation: { threshold: 0.8, maxExposure: 0.7, window: 30, minObservations: 20 },
      volatilityScaling: { targetVolatility: 0.5, window: 20, minObservations: 10 },
    });
    const settings = { ...config, states, history: h };
    const all = new StandardRules(settings);
    expect(all.names).toEqual([...STANDARD_RULES]);
    const singles = all.names.map((n) => new StandardRules(settings, [n]));
    // The rules createRiskEngine builds without volatility scaling (the benchmark's and the default).
    const plain = new StandardRules(
      settings,
      STANDARD_RULES.filter((r) => r !== 'vol-scaled-position'),
    );
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const seen = new Set<string>();
    let passed = 0;
    let cleared = 0;
    for (let i = 0; i < 3_000; i++) {
      const restrict = rnd();
      if (restrict < 0.05) states.setAccount('halted', 'test');
      else if (restrict < 0.1) states.setAccount('reducing', 'test');
      else states.setAccount('active');
      if (rnd() < 0.05) states.pause('B', 'price-jump');
      else states.resume('B');
      // A strategy's open orders are some of the account's (RiskView.openOrderCount).
      const open = Math.floor(rnd() * 7);
      const v = view({
        equity: 5_000 + rnd() * 20_000,
        qty: { A: pick([0, 10, -10, 40]), B: pick([0, 20, -5]), C: pick([0, 3]) },
        last: { A: 100, B: pick([100, 0]), C: 100 },
        open,
        openMine: Math.min(open, Math.floor(rnd() * 5)),
      });
      const type = pick(['market', 'limit', 'limit'] as const);
      const o = order(pick(['buy', 'sell'] as const), pick([0.5, 1, 5, 20, 35, 60, 80]), {
        id: pick(['A', 'B', 'C']),
        type,
        ...(type === 'limit' ? { price: pick([90, 94.99, 100, 100.005, 105, 106]) } : {}),
        reduceOnly: rnd() < 0.15,
      });
      let expected: ReturnType<typeof all.check> = null;
      for (const r of singles) if ((expected = r.check(o, v))) break;
      expect(all.check(o, v)).toEqual(expected);
      if (expected) seen.add(expected.rule);
      else passed++;
      // The quick answer (clears) may only say "passes" where the whole rules find no denial, in the
      // combined check and in each single rule.
      for (const r of [all, plain, ...singles]) {
        const inner = r as unknown as QuickAndFull;
        if (inner.clears(o, v)) {
          expect(inner.firstDenial(o, v)).toBeNull();
          if (r === plain) cleared++;
        }
      }
    }
    // Not vacuous: most rules refused something, some orders passed them all, and the quick answer
    // decided many of those.
    expect(seen.size).toBeGreaterThanOrEqual(10);
    expect(passed).toBeGreaterThan(100);
    expect(cleared).toBeGreaterThan(50);
  });
});

describe('RiskConfig', () => {
  it('has the documented defaults', () => {
    const c = parseRiskConfig({});
    expect(c).toMatchObject({
      maxPositionShare: 0.25,
      minOrderNotional: 10,
      maxDrawdown: 0.25,
      stopLoss: 0.05,
      takeProfit: 0.1,
    });
  });

  it('names the field and value of a bad setting', () => {
    const bad = (input: unknown) => {
      try {
        parseRiskConfig(input);
      } catch (e) {
        return e as TickerError;
      }
      throw new Error('expected a TickerError');
    };
    const e = bad({ maxPositionShare: 2 });
    expect(e).toBeInstanceOf(TickerError);
    expect(e.field).toBe('risk.maxPositionShare');
    expect(e.value).toBe(2);
    expect(bad({ anomaly: { jumpSigmas: -1 } }).field).toBe('risk.anomaly.jumpSigmas');
    expect(bad({ groups: { tech: { members: [], maxShare: 0.2 } } }).field).toBe('risk.groups.tech.members');
    expect(bad({ maxDrawdonw: 0.2 }).message).toMatch(/maxDrawdonw|Unrecognized/);
  });

  it('the engine runs every configured rule, the trading state first', () => {
    const e = createRiskEngine({});
    expect(e.ruleNames()).toEqual([
      'trading-state',
      'min-quantity',
      'min-notional',
      'reduce-only',
      'price-increment',
      'order-size',
      'max-open-orders',
      'price-band',
      'max-position',
      'group-exposure',
      'correlated-exposure',
    ]);
    expect(e.check(order('buy', 26), view({}))!.rule).toBe('max-position');
    expect(e.deniedCount).toBe(1);
  });
});
