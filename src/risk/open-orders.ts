import type { Order } from '../model/index.js';
import type { RiskConfig } from './config.js';
import type { Denial, PreTradeRule, RiskView } from './risk-engine.js';

/** Maximum open orders per account and per strategy (the order being checked would be one more). */
export function openOrdersRule(
  config: Pick<RiskConfig, 'maxOpenOrders' | 'maxOpenOrdersPerStrategy'>,
): PreTradeRule {
  return {
    name: 'max-open-orders',
    check(order: Order, view: RiskView): Denial | null {
      const all = view.openOrderCount();
      if (all + 1 > config.maxOpenOrders)
        return {
          rule: this.name,
          message: `the account already has ${all} open orders (limit ${config.maxOpenOrders})`,
          limit: config.maxOpenOrders,
          actual: all + 1,
        };
      const mine = view.openOrderCount(order.strategyId);
      if (mine + 1 > config.maxOpenOrdersPerStrategy)
        return {
          rule: this.name,
          message: `strategy ${order.strategyId} already has ${mine} open orders (limit ${config.maxOpenOrdersPerStrategy})`,
          limit: config.maxOpenOrdersPerStrategy,
          actual: mine + 1,
        };
      return null;
    },
  };
}
