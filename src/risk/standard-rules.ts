import type { Instrument, Order, Position } from '../model/index.js';
import type { RiskConfig } from './config.js';
import type { PriceHistory } from './price-history.js';
import type { Denial, PreTradeRule, RiskView } from './risk-engine.js';
import { type TradingStates, denyTradingState, isReducing } from './trading-state.js';

/** The standard pre-trade rules, in the order they run (the first to refuse names itself). */
export const STANDARD_RULES = [
  'trading-state',
  'min-quantity',
  'min-notional',
  'reduce-only',
  'price-increment',
  'order-size',
  'max-open-orders',
  'price-band',
  'max-position',
  'vol-scaled-position',
  'group-exposure',
  'correlated-exposure',
] as const;
export type StandardRuleName = (typeof STANDARD_RULES)[number];

// One bit per rule, in STANDARD_RULES order.
const TRADING_STATE = 1 << 0;
const MIN_QUANTITY = 1 << 1;
const MIN_NOTIONAL = 1 << 2;
const REDUCE_ONLY = 1 << 3;
const PRICE_INCREMENT = 1 << 4;
const ORDER_SIZE = 1 << 5;
const OPEN_ORDERS = 1 << 6;
const PRICE_BAND = 1 << 7;
const MAX_POSITION = 1 << 8;
const VOL_SCALED = 1 << 9;
const GROUPS = 1 << 10;
const CORRELATION = 1 << 11;
/** The rules that look at more than the order's own instrument (out of line: rarely anything to do). */
const PORTFOLIO = VOL_SCALED | GROUPS | CORRELATION;

/**
 * What the standard rules read. Each rule needs its own settings only (`ruleSettingsNeeded`); createRiskEngine
 * passes a whole validated RiskConfig with the shared states and price history.
 */
export interface StandardRuleSettings {
  readonly states?: TradingStates;
  readonly history?: PriceHistory;
  readonly maxPositionShare?: number;
  readonly perInstrumentShare?: Readonly<Record<string, number>>;
  readonly minOrderNotional?: number;
  readonly maxOrderNotional?: number | null;
  readonly maxOrderQuantity?: number | null;
  readonly maxOpenOrders?: number;
  readonly maxOpenOrdersPerStrategy?: number;
  readonly priceBand?: number;
  readonly volatilityScaling?: RiskConfig['volatilityScaling'];
  readonly groups?: RiskConfig['groups'];
  readonly correlation?: RiskConfig['correlation'];
}

const NEEDS: Record<StandardRuleName, readonly (keyof StandardRuleSettings)[]> = {
  'trading-state': ['states'],
  'min-quantity': [],
  'min-notional': [],
  'reduce-only': [],
  'price-increment': [],
  'order-size': ['minOrderNotional'],
  'max-open-orders': ['maxOpenOrders', 'maxOpenOrdersPerStrategy'],
  'price-band': ['priceBand'],
  'max-position': ['maxPositionShare'],
  'vol-scaled-position': ['maxPositionShare', 'volatilityScaling', 'history'],
  'group-exposure': ['groups'],
  'correlated-exposure': ['correlation', 'history'],
};

interface ExposureGroup {
  readonly name: string;
  readonly members: ReadonlySet<string>;
  readonly maxShare: number;
}

/**
 * The standard pre-trade rules as one check: every rule of STANDARD_RULES that is switched on, in that
 * order. createRiskEngine switches on all of them (vol-scaled-position when configured); the single-rule
 * factories below (`positionLimitRule`, `orderSizeRule`, …) switch on one. Either way it is this one
 * function that runs, so a rule refuses the same orders alone or among the others, with the same denial.
 *
 * Why one function: the order's facts (instrument, position before and after, reference price, equity) are
 * read once into locals and every rule is a few compares on them, in one piece of machine code that V8
 * optimizes on its own. Eleven rule objects called one by one, each asking the view again, cost ~250 ns an
 * order inside a backtest and, inlined into the order path, changed how V8 compiled the bar loop around it
 * (docs/BENCHMARKS.md, "The risk overhead"). Denials are built out of line: they are rare.
 *
 * The function has two halves: `clears`, a yes-or-don't-know answer for the usual order that builds
 * nothing and boxes no number, and `firstDenial`, the whole rules with their denials, run only when
 * `clears` cannot say yes. rules.test.ts checks on random orders that `clears` never says yes to an order
 * `firstDenial` refuses.
 */
export class StandardRules implements PreTradeRule {
  readonly name: string;
  readonly names: readonly StandardRuleName[];
  /** The switched-on rules that can refuse anything (group-exposure without groups cannot). */
  private readonly on: number;
  private readonly states: TradingStates | undefined;
  private readonly history: PriceHistory | undefined;
  private readonly maxShare: number;
  private readonly shareOverrides: Map<string, number> | undefined;
  private readonly minNotional: number;
  private readonly maxNotional: number;
  private readonly maxQuantity: number;
  private readonly maxOpen: number;
  private readonly maxOpenPerStrategy: number;
  private readonly band: number;
  private readonly vol: NonNullable<RiskConfig['volatilityScaling']> | undefined;
  private readonly annualize: number;
  private readonly groups: readonly ExposureGroup[];
  /** Every group member (ids and symbols): an instrument outside them has no group limit to check. */
  private readonly grouped: ReadonlySet<string>;
  private readonly correlation: RiskConfig['correlation'] | undefined;

  constructor(settings: StandardRuleSettings, names: readonly StandardRuleName[] = STANDARD_RULES) {
    let on = 0;
    for (const n of names) {
      const bit = STANDARD_RULES.indexOf(n);
      if (bit < 0) throw new Error(`unknown standard rule ${n}; known: ${STANDARD_RULES.join(', ')}`);
      for (const field of NEEDS[n])
        if (settings[field] === undefined || settings[field] === null)
          throw new Error(`rule ${n} needs settings.${field}`);
      on |= 1 << bit;
    }
    this.names = STANDARD_RULES.filter((_, i) => (on & (1 << i)) !== 0);
    this.name = this.names.length === 1 ? this.names[0]! : 'standard';
    this.states = settings.states;
    this.history = settings.history;
    this.maxShare = settings.maxPositionShare ?? 1;
    const o = new Map(Object.entries(settings.perInstrumentShare ?? {}));
    // Undefined without overrides, so the usual case costs no map look-up per order.
    this.shareOverrides = o.size > 0 ? o : undefined;
    this.minNotional = settings.minOrderNotional ?? 0;
    this.maxNotional = settings.maxOrderNotional ?? Infinity;
    this.maxQuantity = settings.maxOrderQuantity ?? Infinity;
    this.maxOpen = settings.maxOpenOrders ?? Infinity;
    this.maxOpenPerStrategy = settings.maxOpenOrdersPerStrategy ?? Infinity;
    this.band = settings.priceBand ?? Infinity;
    this.vol = (on & VOL_SCALED) !== 0 ? settings.volatilityScaling! : undefined;
    if (this.vol && this.history!.volWindow !== this.vol.window)
      throw new Error(
        `price history tracks ${this.history!.volWindow} returns, the rule needs ${this.vol.window}`,
      );
    this.annualize = this.vol ? Math.sqrt(this.vol.periodsPerYear) : Number.NaN;
    this.groups = Object.entries(settings.groups ?? {}).map(([name, g]) => ({
      name,
      members: new Set(g.members),
      maxShare: g.maxShare,
    }));
    this.grouped = new Set(this.groups.flatMap((g) => [...g.members]));
    if (this.groups.length === 0) on &= ~GROUPS;
    this.correlation = settings.correlation;
    this.on = on;
  }

  check(order: Order, view: RiskView): Denial | null {
    return this.clears(order, view) ? null : this.firstDenial(order, view);
  }

  /**
   * The usual case, answered without building anything: true when the order passes every switched-on rule
   * for certain. Each test is the same compare as firstDenial's, on the same facts; anything that would deny,
   * or needs more than a compare (a restricted trading state, an order with a limit or trigger price to check
   * against the tick, a portfolio rule with something to look at), answers false, and
   * firstDenial decides with the whole rule. Nothing here hands a number to a function V8 does not inline:
   * such a call takes the number boxed, and the one-function check boxed the reference price, the position
   * after the order and the equity on every order that grew a position (docs/BENCHMARKS.md, "The risk
   * overhead").
   */
  private clears(order: Order, view: RiskView): boolean {
    const on = this.on;
    if ((on & TRADING_STATE) !== 0 && !this.states!.allActive) return false;
    const id = order.instrumentId;
    const inst = view.instrument(id);
    const q = order.quantity;
    if ((on & MIN_QUANTITY) !== 0 && q < inst.minQuantity - 1e-12) return false;
    const pos = view.position(id);
    const before = pos === undefined ? 0 : pos.quantity;
    const after = before + order.sign * q;
    const reducing = isReducing(before, after);
    const p = order.priceOrNaN;
    const t = order.triggerPriceOrNaN;
    // Orders with a limit or a trigger price (fewer than market orders): firstDenial checks the ticks.
    if ((on & PRICE_INCREMENT) !== 0 && (p === p || t === t)) return false;
    const px = p === p ? p : t === t ? t : view.lastPrice(id);
    // The order's notional at the reference price (NaN without one), for both size rules.
    const notional = inst.notional(q, px);
    if ((on & MIN_NOTIONAL) !== 0 && inst.minNotional > 0 && Number.isFinite(px)) {
      if (notional < inst.minNotional) return false;
    }
    if ((on & REDUCE_ONLY) !== 0 && order.reduceOnly && (before === 0 || Math.sign(before) === order.sign))
      return false;
    if ((on & ORDER_SIZE) !== 0) {
      if (q > this.maxQuantity) return false;
      if (px > 0) {
        if (notional > this.maxNotional || (notional < this.minNotional && !(before !== 0 && reducing)))
          return false;
      }
    }
    if ((on & OPEN_ORDERS) !== 0) {
      // A strategy's open orders are some of the account's: while the account's count is within the
      // per-strategy limit, so is the strategy's (no per-strategy look-up).
      const all = view.openOrderCount();
      if (all + 1 > this.maxOpen) return false;
      if (
        all + 1 > this.maxOpenPerStrategy &&
        view.openOrderCount(order.strategyId) + 1 > this.maxOpenPerStrategy
      )
        return false;
    }
    if ((on & PRICE_BAND) !== 0 && p === p) {
      const last = view.lastPrice(id);
      if (last > 0) {
        const dev = p / last - 1;
        if (order.sign > 0 ? dev > this.band + 1e-12 : -dev > this.band + 1e-12) return false;
      }
    }
    if (reducing || !(px > 0)) return true;
    if ((on & MAX_POSITION) !== 0) {
      const equity = view.equity();
      if (
        !(equity > 0) ||
        Math.abs(inst.notional(after, px)) / equity > this.positionLimit(inst) * (1 + 1e-9)
      )
        return false;
    }
    if ((on & PORTFOLIO) === 0) return true;
    // The portfolio rules pass at once when there is nothing to look at: too few returns to measure the
    // volatility, an instrument in no group, no other open position to be correlated with.
    if ((on & VOL_SCALED) !== 0 && this.history!.volObservations(id) >= this.vol!.minObservations)
      return false;
    if ((on & GROUPS) !== 0 && (this.grouped.has(id) || this.grouped.has(inst.symbol))) return false;
    if ((on & CORRELATION) !== 0 && view.positions !== undefined) {
      const ps = view.positions();
      for (let i = 0; i < ps.length; i++) {
        const o = ps[i]!;
        if (o.quantity !== 0 && o.instrumentId !== id) return false;
      }
    }
    return true;
  }

  /** The first switched-on rule that denies the order, with its numbers (null: it passes them all). */
  private firstDenial(order: Order, view: RiskView): Denial | null {
    const on = this.on;
    if ((on & TRADING_STATE) !== 0) {
      const d = denyTradingState(order, view, this.states!);
      if (d !== null) return d;
    }
    const id = order.instrumentId;
    const inst = view.instrument(id);
    const q = order.quantity;
    if ((on & MIN_QUANTITY) !== 0 && q < inst.minQuantity - 1e-12) return minQuantityDenial(order, inst);
    const pos = view.position(id);
    const before = pos === undefined ? 0 : pos.quantity;
    const after = before + order.sign * q;
    const reducing = isReducing(before, after);
    // The reference price: the limit, else the trigger, else the last price (NaN when none is known). The
    // raw numbers: `order.price ?? …` would box a number per call (order.ts).
    const p = order.priceOrNaN;
    const t = order.triggerPriceOrNaN;
    const px = p === p ? p : t === t ? t : view.lastPrice(id);
    // The order's notional at the reference price (NaN without one), for both size rules.
    const notional = inst.notional(q, px);
    if ((on & MIN_NOTIONAL) !== 0 && inst.minNotional > 0 && Number.isFinite(px)) {
      if (notional < inst.minNotional) return minNotionalDenial(inst, notional);
    }
    if ((on & REDUCE_ONLY) !== 0 && order.reduceOnly && (before === 0 || Math.sign(before) === order.sign))
      return reduceOnlyDenial(order, before);
    if ((on & PRICE_INCREMENT) !== 0 && (p === p || t === t)) {
      const d = offTick('price', p, inst) ?? offTick('triggerPrice', t, inst);
      if (d !== null) return d;
    }
    if ((on & ORDER_SIZE) !== 0) {
      if (q > this.maxQuantity) return this.sizeDenial(order, Number.NaN);
      if (px > 0) {
        // Orders that only shrink a position are exempt from the minimum: a remainder can always be closed.
        if (notional > this.maxNotional || (notional < this.minNotional && !(before !== 0 && reducing)))
          return this.sizeDenial(order, notional);
      }
    }
    if ((on & OPEN_ORDERS) !== 0) {
      const all = view.openOrderCount();
      if (all + 1 > this.maxOpen) return this.openOrdersDenial(order, all, false);
      const mine = view.openOrderCount(order.strategyId);
      if (mine + 1 > this.maxOpenPerStrategy) return this.openOrdersDenial(order, mine, true);
    }
    if ((on & PRICE_BAND) !== 0 && p === p) {
      const d = bandDenial(order, p, view.lastPrice(id), this.band);
      if (d !== null) return d;
    }
    // The rules left only limit what an order adds: one that shrinks a position, or has no price to value
    // it at, passes them all.
    if (reducing || !(px > 0)) return null;
    let equity = Number.NaN;
    if ((on & MAX_POSITION) !== 0) {
      const limit = this.positionLimit(inst);
      equity = view.equity();
      const share = equity > 0 ? Math.abs(inst.notional(after, px)) / equity : Infinity;
      if (share > limit * (1 + 1e-9)) return positionDenial(inst, share, limit);
    }
    return (on & PORTFOLIO) === 0 ? null : this.portfolioRules(order, view, inst, after, px, equity);
  }

  /** The max position share of an instrument: its override, else the account's. */
  private positionLimit(inst: Instrument): number {
    const o = this.shareOverrides;
    return o === undefined ? this.maxShare : (o.get(inst.id) ?? o.get(inst.symbol) ?? this.maxShare);
  }

  /** Volatility-scaled position, group exposure, correlated exposure (the order grows a position). */
  private portfolioRules(
    order: Order,
    view: RiskView,
    inst: Instrument,
    after: number,
    px: number,
    equity: number,
  ): Denial | null {
    // `equity` is NaN when the max-position rule did not read it: each rule reads it only when it needs it
    // (a closure reading it lazily cost a context and a function per order, measured as most of the time
    // these rules took in the risk benchmark).
    const on = this.on;
    if ((on & VOL_SCALED) !== 0) {
      const d = this.volScaled(view, inst, after, px, equity);
      if (d !== null) return d;
    }
    if ((on & GROUPS) !== 0) {
      const d = this.groupExposure(view, inst, after, px, equity);
      if (d !== null) return d;
    }
    return (on & CORRELATION) === 0 ? null : this.correlated(order, view, inst, after, px, equity);
  }

  /**
   * Position limit that scales with recent volatility: the max position share (or the instrument's
   * override) × min(1, target / realized), realized = sample std of the last `window` step returns ×
   * √periodsPerYear, read in O(1) from the price history's running sums. When the market is calm the plain
   * limit applies (the scale is capped at 1); with fewer than `minObservations` returns the volatility is
   * unknown and the rule passes (the plain max-position rule still runs).
   */
  private volScaled(view: RiskView, inst: Instrument, after: number, px: number, eq: number): Denial | null {
    const vs = this.vol!;
    const history = this.history!;
    if (history.volObservations(inst.id) < vs.minObservations) return null;
    const realized = history.stepVolatility(inst.id) * this.annualize;
    if (!(realized > vs.targetVolatility)) return null; // calm (or unknown): the scale is 1
    const base = this.positionLimit(inst);
    const scale = vs.targetVolatility / realized;
    const limit = base * scale;
    const equity = eq === eq ? eq : view.equity();
    const share = equity > 0 ? Math.abs(inst.notional(after, px)) / equity : Infinity;
    if (share <= limit * (1 + 1e-9)) return null;
    return {
      rule: 'vol-scaled-position',
      message: `position in ${inst.id} after this order would be ${(share * 100).toFixed(2)}% of equity, above the volatility-scaled limit ${(limit * 100).toFixed(2)}% (${(base * 100).toFixed(2)}% × target ${(vs.targetVolatility * 100).toFixed(1)}% / realized ${(realized * 100).toFixed(1)}% volatility)`,
      limit,
      actual: share,
    };
  }

  /**
   * Gross exposure per user-defined group (sector, theme) as a share of equity, with the order applied.
   * Members are matched by instrument id or symbol.
   */
  private groupExposure(
    view: RiskView,
    inst: Instrument,
    after: number,
    px: number,
    eq: number,
  ): Denial | null {
    const equity = eq === eq ? eq : view.equity();
    for (const g of this.groups) {
      if (!g.members.has(inst.id) && !g.members.has(inst.symbol)) continue;
      let gross = Math.abs(inst.notional(after, px));
      for (const p of view.positions?.() ?? []) {
        if (p.quantity === 0 || p.instrumentId === inst.id) continue;
        const other = view.instrument(p.instrumentId);
        if (g.members.has(other.id) || g.members.has(other.symbol)) gross += Math.abs(valueOf(view, p));
      }
      const share = equity > 0 ? gross / equity : Infinity;
      if (share > g.maxShare * (1 + 1e-9))
        return {
          rule: 'group-exposure',
          message: `group ${g.name} would hold ${(share * 100).toFixed(2)}% of equity, above its limit ${(g.maxShare * 100).toFixed(2)}%`,
          limit: g.maxShare,
          actual: share,
        };
    }
    return null;
  }

  /**
   * Correlated exposure: an order that grows a position in X is denied when X's exposure plus the exposure
   * of every open position Y whose return correlation with X is at least the threshold in absolute value
   * (counted with the sign of the correlation, so a hedge offsets) exceeds maxExposure × equity.
   * Correlations come from the rolling price history; too few observations → unknown → the pair is skipped.
   */
  private correlated(
    order: Order,
    view: RiskView,
    inst: Instrument,
    after: number,
    px: number,
    eq: number,
  ): Denial | null {
    const positions = view.positions?.();
    if (!positions) return null;
    const config = this.correlation!;
    let combined = inst.notional(after, px);
    let peers = 0;
    let maxRho = 0;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      // Hot path: nothing else open → nothing to correlate with.
      if (p.quantity === 0 || p.instrumentId === order.instrumentId) continue;
      const { rho, n } = this.history!.correlation(inst.id, p.instrumentId);
      if (n < config.minObservations || !(Math.abs(rho) >= config.threshold)) continue;
      combined += Math.sign(rho) * valueOf(view, p);
      peers++;
      maxRho = Math.max(maxRho, Math.abs(rho));
    }
    if (peers === 0) return null;
    const equity = eq === eq ? eq : view.equity();
    const share = equity > 0 ? Math.abs(combined) / equity : Infinity;
    if (share <= config.maxExposure * (1 + 1e-9)) return null;
    return {
      rule: 'correlated-exposure',
      message: `${inst.id} and ${peers} position(s) correlated with it (|ρ| up to ${maxRho.toFixed(3)}) would hold ${(share * 100).toFixed(2)}% of equity, above ${(config.maxExposure * 100).toFixed(2)}%`,
      limit: config.maxExposure,
      actual: share,
    };
  }

  /** The denial for an order beyond a size limit (`notional` NaN: the quantity limit). */
  private sizeDenial(order: Order, notional: number): Denial {
    if (notional !== notional)
      return {
        rule: 'max-order-quantity',
        message: `quantity ${order.quantity} is above the maximum ${this.maxQuantity}`,
        limit: this.maxQuantity,
        actual: order.quantity,
      };
    if (notional > this.maxNotional)
      return {
        rule: 'max-order-notional',
        message: `notional ${notional.toFixed(2)} is above the maximum ${this.maxNotional}`,
        limit: this.maxNotional,
        actual: notional,
      };
    return {
      rule: 'min-order-notional',
      message: `notional ${notional.toFixed(2)} is below the minimum ${this.minNotional}`,
      limit: this.minNotional,
      actual: notional,
    };
  }

  private openOrdersDenial(order: Order, count: number, perStrategy: boolean): Denial {
    const limit = perStrategy ? this.maxOpenPerStrategy : this.maxOpen;
    return {
      rule: 'max-open-orders',
      message: perStrategy
        ? `strategy ${order.strategyId} already has ${count} open orders (limit ${limit})`
        : `the account already has ${count} open orders (limit ${limit})`,
      limit,
      actual: count + 1,
    };
  }
}

function valueOf(view: RiskView, p: Position): number {
  return view.instrument(p.instrumentId).notional(p.quantity, p.lastPrice);
}

function minQuantityDenial(order: Order, inst: Instrument): Denial {
  return {
    rule: 'min-quantity',
    message: `quantity ${order.quantity} is below the minimum ${inst.minQuantity} for ${inst.id}`,
    limit: inst.minQuantity,
    actual: order.quantity,
  };
}

function minNotionalDenial(inst: Instrument, notional: number): Denial {
  return {
    rule: 'min-notional',
    message: `notional ${notional.toFixed(2)} is below the minimum ${inst.minNotional} for ${inst.id}`,
    limit: inst.minNotional,
    actual: notional,
  };
}

function reduceOnlyDenial(order: Order, position: number): Denial {
  return {
    rule: 'reduce-only',
    message: `reduce-only ${order.side} would not reduce position ${position}`,
    actual: position,
  };
}

function offTick(field: 'price' | 'triggerPrice', p: number, inst: Instrument): Denial | null {
  if (p !== p || Math.abs(inst.roundPrice(p) - p) <= inst.tickSize * 1e-6) return null;
  return {
    rule: 'price-increment',
    message: `${field} ${p} is not a multiple of the tick size ${inst.tickSize}`,
    actual: p,
  };
}

function positionDenial(inst: Instrument, share: number, limit: number): Denial {
  return {
    rule: 'max-position',
    message: `position in ${inst.id} after this order would be ${(share * 100).toFixed(2)}% of equity, above the limit ${(limit * 100).toFixed(2)}%`,
    limit,
    actual: share,
  };
}

/**
 * Fat-finger check against the last price: a buy limit above last × (1 + band) or a sell limit below
 * last × (1 − band) is denied. Only the aggressive side is checked: such a limit would trade at once at a
 * price far from the market, while a passive limit far away cannot. Stop triggers are not checked (a stop
 * is meant to sit away from the market).
 */
function bandDenial(order: Order, p: number, last: number, band: number): Denial | null {
  if (!(last > 0)) return null;
  const dev = p / last - 1;
  // 1e-12 absorbs float noise: 105 / 100 − 1 is 0.05000000000000004.
  const aggressive = order.sign > 0 ? dev > band + 1e-12 : -dev > band + 1e-12;
  if (!aggressive) return null;
  return {
    rule: 'price-band',
    message: `${order.side} limit ${p} is ${(Math.abs(dev) * 100).toFixed(2)}% from the last price ${last} (band ${(band * 100).toFixed(2)}%)`,
    limit: band,
    actual: Math.abs(dev),
  };
}

// ---- One rule at a time: the same check with one rule switched on. ----

/** Orders must be at least the instrument's minimum quantity. */
export const minQuantityRule: PreTradeRule = new StandardRules({}, ['min-quantity']);
/** The instrument's own minimum notional, at the reference price (passes while no price is known). */
export const minNotionalRule: PreTradeRule = new StandardRules({}, ['min-notional']);
/** A reduce-only order must shrink the position it faces, not open or grow one. */
export const reduceOnlyRule: PreTradeRule = new StandardRules({}, ['reduce-only']);
/** A limit price and a trigger price must be multiples of the tick size. */
export const priceIncrementRule: PreTradeRule = new StandardRules({}, ['price-increment']);

/** The instrument-level rules every engine starts with. */
export const BASE_RULES: readonly PreTradeRule[] = [
  minQuantityRule,
  minNotionalRule,
  reduceOnlyRule,
  priceIncrementRule,
];

/**
 * Enforces the trading states: halted denies every order but the risk layer's closing orders, reducing
 * (or a paused instrument) denies every order that does not shrink a position.
 */
export function tradingStateRule(states: TradingStates): PreTradeRule {
  return new StandardRules({ states }, ['trading-state']);
}

/**
 * Order size limits: minimum and maximum notional at the order's reference price, and maximum quantity.
 * Orders that only shrink a position are exempt from the minimum, so a small remainder can always be closed.
 */
export function orderSizeRule(
  config: Pick<RiskConfig, 'minOrderNotional' | 'maxOrderNotional' | 'maxOrderQuantity'>,
): PreTradeRule {
  return new StandardRules(config, ['order-size']);
}

/** Maximum open orders per account and per strategy (the order being checked would be one more). */
export function openOrdersRule(
  config: Pick<RiskConfig, 'maxOpenOrders' | 'maxOpenOrdersPerStrategy'>,
): PreTradeRule {
  return new StandardRules(config, ['max-open-orders']);
}

/** Fat-finger band around the last price for aggressive limit orders (see bandDenial). */
export function priceBandRule(band: number): PreTradeRule {
  return new StandardRules({ priceBand: band }, ['price-band']);
}

/**
 * Maximum position as a share of equity (concentration per asset): the position after the order, valued
 * at the order's reference price, may not exceed the limit. An order that shrinks a position always
 * passes, so a position that grew beyond the limit by price moves can only be reduced.
 */
export function positionLimitRule(
  config: Pick<RiskConfig, 'maxPositionShare' | 'perInstrumentShare'>,
): PreTradeRule {
  return new StandardRules(config, ['max-position']);
}

/** The volatility-scaled position limit (StandardRules.volScaled); needs config.volatilityScaling. */
export function volatilityScaledPositionRule(
  config: Pick<RiskConfig, 'maxPositionShare' | 'perInstrumentShare' | 'volatilityScaling'>,
  history: PriceHistory,
): PreTradeRule {
  if (!config.volatilityScaling)
    throw new Error('volatilityScaledPositionRule needs config.volatilityScaling');
  return new StandardRules({ ...config, history }, ['vol-scaled-position']);
}

/** Gross exposure per user-defined group (StandardRules.groupExposure). */
export function groupExposureRule(groups: RiskConfig['groups']): PreTradeRule {
  return new StandardRules({ groups }, ['group-exposure']);
}

/** Correlated exposure (StandardRules.correlated). */
export function correlationRule(config: RiskConfig['correlation'], history: PriceHistory): PreTradeRule {
  return new StandardRules({ correlation: config, history }, ['correlated-exposure']);
}
