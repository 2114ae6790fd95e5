import type { Order } from '../model/index.js';
import type { RiskConfig } from './config.js';
import { type Denial, type PreTradeRule, type RiskView, referencePrice } from './risk-engine.js';

/** The signed position after `order` fills completely. */
export function positionAfter(order: Order, view: RiskView): { before: number; after: number } {
  const before = view.position(order.instrumentId)?.quantity ?? 0;
  return { before, after: before + order.sign * order.quantity };
}

/** True when the order leaves the position no larger in absolute size and on the same side (or flat). */
export function isReducing(before: number, after: number): boolean {
  return (
    Math.abs(after) <= Math.abs(before) + 1e-12 && (after === 0 || Math.sign(after) === Math.sign(before))
  );
}

/**
 * Maximum position as a share of equity (concentration per asset): the position after the order, valued
 * at the order's reference price, may not exceed the limit. An order that shrinks a position always
 * passes, so a position that grew beyond the limit by price moves can only be reduced.
 */
export function positionLimitRule(
  config: Pick<RiskConfig, 'maxPositionShare' | 'perInstrumentShare'>,
): PreTradeRule {
  const overrides = new Map(Object.entries(config.perInstrumentShare));
  const hasOverrides = overrides.size > 0;
  return {
    name: 'max-position',
    check(order: Order, view: RiskView): Denial | null {
      // Hot path (every order): no allocation, no map lookups unless overrides exist.
      const before = view.position(order.instrumentId)?.quantity ?? 0;
      const after = before + order.sign * order.quantity;
      if (isReducing(before, after)) return null;
      const px = referencePrice(order, view);
      if (!(px > 0)) return null;
      const inst = view.instrument(order.instrumentId);
      const limit = hasOverrides
        ? (overrides.get(inst.id) ?? overrides.get(inst.symbol) ?? config.maxPositionShare)
        : config.maxPositionShare;
      const equity = view.equity();
      const value = Math.abs(inst.notional(after, px));
      const share = equity > 0 ? value / equity : Infinity;
      if (share <= limit * (1 + 1e-9)) return null;
      return {
        rule: this.name,
        message: `position in ${inst.id} after this order would be ${(share * 100).toFixed(2)}% of equity, above the limit ${(limit * 100).toFixed(2)}%`,
        limit,
        actual: share,
      };
    },
  };
}
