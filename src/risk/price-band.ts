import type { Order } from '../model/index.js';
import type { Denial, PreTradeRule, RiskView } from './risk-engine.js';

/**
 * Fat-finger check against the last price: a buy limit above last × (1 + band) or a sell limit below
 * last × (1 − band) is denied. Only the aggressive side is checked: such a limit would trade at once at a
 * price far from the market, while a passive limit far away cannot. Stop triggers are not checked (a stop
 * is meant to sit away from the market).
 */
export function priceBandRule(band: number): PreTradeRule {
  return {
    name: 'price-band',
    check(order: Order, view: RiskView): Denial | null {
      const p = order.price;
      if (p === undefined) return null;
      const last = view.lastPrice(order.instrumentId);
      if (!(last > 0)) return null;
      const dev = p / last - 1;
      // 1e-12 absorbs float noise: 105 / 100 − 1 is 0.05000000000000004.
      const aggressive = order.side === 'buy' ? dev > band + 1e-12 : -dev > band + 1e-12;
      if (!aggressive) return null;
      return {
        rule: this.name,
        message: `${order.side} limit ${p} is ${(Math.abs(dev) * 100).toFixed(2)}% from the last price ${last} (band ${(band * 100).toFixed(2)}%)`,
        limit: band,
        actual: Math.abs(dev),
      };
    },
  };
}
