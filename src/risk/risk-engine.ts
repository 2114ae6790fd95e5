import type { Instrument, Order, Position } from '../model/index.js';
import { type RiskConfig, parseRiskConfig } from './config.js';
import { BASE_RULES } from './standard-rules.js';
import { PriceHistory } from './price-history.js';
import { TradingStates } from './trading-state.js';

/** What a pre-trade rule may read. */
export interface RiskView {
  instrument(id: string): Instrument;
  position(id: string): Position | undefined;
  equity(): number;
  /** Last known price of an instrument (NaN before the first bar or tick). */
  lastPrice(id: string): number;
  /** Open orders of the account, or of one strategy (never more than the account's). */
  openOrderCount(strategyId?: string): number;
  /** Every position of the account (portfolio-level rules: groups, correlation). */
  positions?(): readonly Position[];
}

export interface Denial {
  readonly rule: string;
  readonly message: string;
  readonly limit?: number;
  readonly actual?: number;
}

/** One pre-trade check. Return a Denial to refuse the order, or null to let it pass. */
export interface PreTradeRule {
  readonly name: string;
  /** A rule that runs several checks (StandardRules) lists their names; the engine lists these. */
  readonly names?: readonly string[];
  check(order: Order, view: RiskView): Denial | null;
}

/**
 * The view as one order's checks see it: every rule asks for the order's instrument, position, last price
 * and the equity, so each answer is fetched from the underlying view once per check (map look-ups and the
 * equity sum were most of the pre-trade cost, bench/risk.bench.ts). Valid for one check() call only;
 * nothing changes while the rules run.
 */
class CheckScope implements RiskView {
  private v: RiskView = undefined!;
  private instId = '';
  private inst: Instrument | undefined = undefined;
  private posId = '';
  private pos: Position | undefined = undefined;
  private hasPos = false;
  private pxId = '';
  private px = Number.NaN;
  private hasPx = false;
  private eq = Number.NaN;
  private hasEq = false;

  begin(v: RiskView): this {
    this.v = v;
    this.inst = undefined;
    this.hasPos = false;
    this.hasPx = false;
    this.hasEq = false;
    return this;
  }
  instrument(id: string): Instrument {
    if (this.inst === undefined || id !== this.instId) {
      this.inst = this.v.instrument(id);
      this.instId = id;
    }
    return this.inst;
  }
  position(id: string): Position | undefined {
    if (!this.hasPos || id !== this.posId) {
      this.pos = this.v.position(id);
      this.posId = id;
      this.hasPos = true;
    }
    return this.pos;
  }
  lastPrice(id: string): number {
    if (!this.hasPx || id !== this.pxId) {
      this.px = this.v.lastPrice(id);
      this.pxId = id;
      this.hasPx = true;
    }
    return this.px;
  }
  equity(): number {
    if (!this.hasEq) {
      this.eq = this.v.equity();
      this.hasEq = true;
    }
    return this.eq;
  }
  openOrderCount(strategyId?: string): number {
    return this.v.openOrderCount(strategyId);
  }
  positions(): readonly Position[] {
    return this.v.positions ? this.v.positions() : [];
  }
}

export interface RiskEngineOptions {
  /** The validated limits the rules and the RiskMonitor read (default: parseRiskConfig({})). */
  readonly config?: RiskConfig;
  /** Trading states (active / reducing / halted, paused instruments) shared with the RiskMonitor. */
  readonly states?: TradingStates;
  /** Rolling prices for correlation limits, recorded by the RiskMonitor. */
  readonly history?: PriceHistory;
  /** Strategy id → the rules its orders pass instead of the account's (per-strategy limits). */
  readonly strategyRules?: ReadonlyMap<string, readonly PreTradeRule[]>;
}

/**
 * Runs every rule on every order. There is no switch that turns it off; `createRiskEngine(config)`
 * (risk/create.ts) builds it with every configured limit.
 */
export class RiskEngine {
  private readonly rules: PreTradeRule[];
  /**
   * The first rule is called directly (in the engines createRiskEngine builds it is StandardRules, the
   * same class in every engine: a monomorphic call V8 inlines). The rest through `checks[i].call(rest[i],
   * …)`: a plain call of a function value, where `rules[i].check(…)` is a property look-up on a dozen
   * different rule shapes first (megamorphic: measured as most of the cost of checking an order).
   */
  private first: PreTradeRule | undefined;
  private readonly rest: PreTradeRule[];
  private readonly checks: PreTradeRule['check'][];
  /** Undefined without per-strategy limits, so the common case costs no map look-up per order. */
  private readonly byStrategy: Map<string, PreTradeRule[]> | undefined;
  deniedCount = 0;
  private readonly scope = new CheckScope();
  readonly config: RiskConfig;
  readonly states: TradingStates;
  readonly history: PriceHistory;
  constructor(rules: readonly PreTradeRule[] = BASE_RULES, opts: RiskEngineOptions = {}) {
    this.rules = [...rules];
    this.first = this.rules[0];
    this.rest = this.rules.slice(1);
    this.checks = this.rest.map((r) => r.check);
    this.byStrategy = opts.strategyRules?.size
      ? new Map([...opts.strategyRules].map(([id, rs]) => [id, [...rs]]))
      : undefined;
    this.config = opts.config ?? parseRiskConfig({});
    this.states = opts.states ?? new TradingStates();
    this.history =
      opts.history ??
      new PriceHistory(this.config.correlation.window, this.config.volatilityScaling?.window ?? 0);
  }
  /** Adds a rule for every order (the account's list and every strategy's). */
  addRule(rule: PreTradeRule): void {
    this.rules.push(rule);
    if (this.first === undefined) this.first = rule;
    else {
      this.rest.push(rule);
      this.checks.push(rule.check);
    }
    if (this.byStrategy) for (const rs of this.byStrategy.values()) rs.push(rule);
  }
  /** The rules an order of `strategyId` passes (the account's unless the strategy has its own limits). */
  ruleNames(strategyId?: string): string[] {
    const rules = (strategyId !== undefined && this.byStrategy?.get(strategyId)) || this.rules;
    return rules.flatMap((r) => r.names ?? [r.name]);
  }
  check(order: Order, view: RiskView): Denial | null {
    let d: Denial | null = null;
    if (this.byStrategy === undefined) {
      const first = this.first;
      if (first !== undefined) d = first.check(order, view);
      const rest = this.rest;
      if (d === null && rest.length > 0) {
        const scope = this.scope.begin(view);
        const checks = this.checks;
        for (let i = 0; i < rest.length; i++) if ((d = checks[i]!.call(rest[i], order, scope))) break;
      }
    } else {
      // Per-strategy limits (less common): the plain loop.
      const scope = this.scope.begin(view);
      const rules = this.byStrategy.get(order.strategyId) ?? this.rules;
      for (let i = 0; i < rules.length; i++) if ((d = rules[i]!.check(order, scope))) break;
    }
    if (!d) return null;
    this.deniedCount++;
    return d;
  }
}
