import { type RiskConfigInput, parseRiskConfig } from './config.js';
import { correlationRule, groupExposureRule } from './exposure-limits.js';
import { openOrdersRule } from './open-orders.js';
import { orderSizeRule } from './order-size.js';
import { positionLimitRule } from './position-limit.js';
import { priceBandRule } from './price-band.js';
import { PriceHistory } from './price-history.js';
import { BASE_RULES, RiskEngine } from './risk-engine.js';
import { TradingStates, tradingStateRule } from './trading-state.js';

/**
 * The risk engine with every pre-trade rule at the configured limits, cheapest first: trading state,
 * instrument increments, order size, open orders, price band, position limit, group and correlated
 * exposure. A denial names its rule and carries the limit and the actual number.
 */
export function createRiskEngine(input: RiskConfigInput = {}): RiskEngine {
  const config = parseRiskConfig(input);
  const states = new TradingStates();
  const history = new PriceHistory(config.correlation.window);
  return new RiskEngine(
    [
      tradingStateRule(states),
      ...BASE_RULES,
      orderSizeRule(config),
      openOrdersRule(config),
      priceBandRule(config.priceBand),
      positionLimitRule(config),
      groupExposureRule(config.groups),
      correlationRule(config.correlation, history),
    ],
    { config, states, history },
  );
}
