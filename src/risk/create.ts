import { type RiskConfig, type RiskConfigInput, limitsForStrategy, parseRiskConfig } from './config.js';
import { correlationRule, groupExposureRule } from './exposure-limits.js';
import { openOrdersRule } from './open-orders.js';
import { orderSizeRule } from './order-size.js';
import { positionLimitRule } from './position-limit.js';
import { priceBandRule } from './price-band.js';
import { PriceHistory } from './price-history.js';
import { BASE_RULES, type PreTradeRule, RiskEngine } from './risk-engine.js';
import { TradingStates, tradingStateRule } from './trading-state.js';
import { volatilityScaledPositionRule } from './volatility-limit.js';

/**
 * The risk engine with every pre-trade rule at the configured limits, cheapest first: trading state,
 * instrument increments, order size, open orders, price band, position limit (and its volatility-scaled
 * version when configured), group and correlated exposure. A denial names its rule and carries the limit
 * and the actual number. A strategy listed under `strategies` gets its own rule list built from the
 * account's limits with its overrides on top; every list shares one set of states and one price history.
 */
export function createRiskEngine(input: RiskConfigInput = {}): RiskEngine {
  const config = parseRiskConfig(input);
  const states = new TradingStates();
  const history = new PriceHistory(config.correlation.window, config.volatilityScaling?.window ?? 0);
  const rulesFor = (c: RiskConfig): PreTradeRule[] => [
    tradingStateRule(states),
    ...BASE_RULES,
    orderSizeRule(c),
    openOrdersRule(c),
    priceBandRule(c.priceBand),
    positionLimitRule(c),
    ...(c.volatilityScaling ? [volatilityScaledPositionRule(c, history)] : []),
    groupExposureRule(c.groups),
    correlationRule(c.correlation, history),
  ];
  const ids = Object.keys(config.strategies);
  return new RiskEngine(rulesFor(config), {
    config,
    states,
    history,
    ...(ids.length
      ? { strategyRules: new Map(ids.map((id) => [id, rulesFor(limitsForStrategy(config, id))])) }
      : {}),
  });
}
