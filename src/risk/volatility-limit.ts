import type { Order } from '../model/index.js';
import type { RiskConfig } from './config.js';
import { isReducing } from './position-limit.js';
import type { PriceHistory } from './price-history.js';
import { type Denial, type PreTradeRule, type RiskView, referencePrice } from './risk-engine.js';

/**
 * Position limit that scales with recent volatility: the max position share (or the instrument's
 * override) × min(1, target / realized), realized = sample std of the last `window` step returns ×
 * √periodsPerYear, read in O(1) from the price history's running sums. When the market is calm the plain
 * limit applies (the scale is capped at 1); with fewer than `minObservations` returns the volatility is
 * unknown and the rule passes (the plain max-position rule still runs). Reducing orders always pass.
 */
export function volatilityScaledPositionRule(
  config: Pick<RiskConfig, 'maxPositionShare' | 'perInstrumentShare' | 'volatilityScaling'>,
  history: PriceHistory,
): PreTradeRule {
  const vs = config.volatilityScaling;
  if (!vs) throw new Error('volatilityScaledPositionRule needs config.volatilityScaling');
  if (history.volWindow !== vs.window)
    throw new Error(`price history tracks ${history.volWindow} returns, the rule needs ${vs.window}`);
  const overrides = new Map(Object.entries(config.perInstrumentShare));
  const annualize = Math.sqrt(vs.periodsPerYear);
  return {
    name: 'vol-scaled-position',
    check(order: Order, view: RiskView): Denial | null {
      const before = view.position(order.instrumentId)?.quantity ?? 0;
      const after = before + order.sign * order.quantity;
      if (isReducing(before, after)) return null;
      if (history.volObservations(order.instrumentId) < vs.minObservations) return null;
      const realized = history.stepVolatility(order.instrumentId) * annualize;
      if (!(realized > vs.targetVolatility)) return null; // calm (or unknown): the scale is 1
      const px = referencePrice(order, view);
      if (!(px > 0)) return null;
      const inst = view.instrument(order.instrumentId);
      const base =
        overrides.size > 0
          ? (overrides.get(inst.id) ?? overrides.get(inst.symbol) ?? config.maxPositionShare)
          : config.maxPositionShare;
      const scale = vs.targetVolatility / realized;
      const limit = base * scale;
      const equity = view.equity();
      const share = equity > 0 ? Math.abs(inst.notional(after, px)) / equity : Infinity;
      if (share <= limit * (1 + 1e-9)) return null;
      return {
        rule: this.name,
        message: `position in ${inst.id} after this order would be ${(share * 100).toFixed(2)}% of equity, above the volatility-scaled limit ${(limit * 100).toFixed(2)}% (${(base * 100).toFixed(2)}% × target ${(vs.targetVolatility * 100).toFixed(1)}% / realized ${(realized * 100).toFixed(1)}% volatility)`,
        limit,
        actual: share,
      };
    },
  };
}
