import type { Order } from '../model/index.js';
import type { RiskConfig } from './config.js';
import { isReducing, positionAfter } from './position-limit.js';
import { type Denial, type PreTradeRule, type RiskView, referencePrice } from './risk-engine.js';

/**
 * Order size limits: minimum and maximum notional at the order's reference price, and maximum quantity.
 * Orders that only shrink a position are exempt from the minimum, so a small remainder can always be closed.
 */
export function orderSizeRule(
  config: Pick<RiskConfig, 'minOrderNotional' | 'maxOrderNotional' | 'maxOrderQuantity'>,
): PreTradeRule {
  const minN = config.minOrderNotional;
  const maxN = config.maxOrderNotional ?? Infinity;
  const maxQ = config.maxOrderQuantity ?? Infinity;
  return {
    name: 'order-size',
    check(order: Order, view: RiskView): Denial | null {
      if (order.quantity > maxQ)
        return {
          rule: 'max-order-quantity',
          message: `quantity ${order.quantity} is above the maximum ${maxQ}`,
          limit: maxQ,
          actual: order.quantity,
        };
      const px = referencePrice(order, view);
      if (!(px > 0)) return null;
      const notional = view.instrument(order.instrumentId).notional(order.quantity, px);
      if (notional > maxN)
        return {
          rule: 'max-order-notional',
          message: `notional ${notional.toFixed(2)} is above the maximum ${maxN}`,
          limit: maxN,
          actual: notional,
        };
      if (notional < minN) {
        const { before, after } = positionAfter(order, view);
        if (before !== 0 && isReducing(before, after)) return null;
        return {
          rule: 'min-order-notional',
          message: `notional ${notional.toFixed(2)} is below the minimum ${minN}`,
          limit: minN,
          actual: notional,
        };
      }
      return null;
    },
  };
}
