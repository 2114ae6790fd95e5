import { type RiskConfig, type RiskConfigInput, limitsForStrategy, parseRiskConfig } from './config.js';
import { PriceHistory } from './price-history.js';
import { type PreTradeRule, RiskEngine } from './risk-engine.js';
import { STANDARD_RULES, StandardRules } from './standard-rules.js';
import { TradingStates } from './trading-state.js';

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
  // One StandardRules per list: every standard rule as one check (standard-rules.ts explains why).
  const rulesFor = (c: RiskConfig): PreTradeRule[] => [
    new StandardRules(
      { ...c, states, history },
      STANDARD_RULES.filter((n) => n !== 'vol-scaled-position' || c.volatilityScaling),
    ),
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
