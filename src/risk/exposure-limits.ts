import type { Order, Position } from '../model/index.js';
import type { RiskConfig } from './config.js';
import { isReducing, positionAfter } from './position-limit.js';
import type { PriceHistory } from './price-history.js';
import { type Denial, type PreTradeRule, type RiskView, referencePrice } from './risk-engine.js';

function value(view: RiskView, p: Position): number {
  return view.instrument(p.instrumentId).notional(p.quantity, p.lastPrice);
}

/**
 * Gross exposure per user-defined group (sector, theme) as a share of equity, with the order applied.
 * Members are matched by instrument id or symbol.
 */
export function groupExposureRule(groups: RiskConfig['groups']): PreTradeRule {
  const list = Object.entries(groups).map(([name, g]) => ({
    name,
    members: new Set(g.members),
    maxShare: g.maxShare,
  }));
  return {
    name: 'group-exposure',
    check(order: Order, view: RiskView): Denial | null {
      if (list.length === 0) return null;
      const { before, after } = positionAfter(order, view);
      if (isReducing(before, after)) return null;
      const inst = view.instrument(order.instrumentId);
      const px = referencePrice(order, view);
      if (!(px > 0)) return null;
      const equity = view.equity();
      for (const g of list) {
        if (!g.members.has(inst.id) && !g.members.has(inst.symbol)) continue;
        let gross = Math.abs(inst.notional(after, px));
        for (const p of view.positions?.() ?? []) {
          if (p.quantity === 0 || p.instrumentId === inst.id) continue;
          const other = view.instrument(p.instrumentId);
          if (g.members.has(other.id) || g.members.has(other.symbol)) gross += Math.abs(value(view, p));
        }
        const share = equity > 0 ? gross / equity : Infinity;
        if (share > g.maxShare * (1 + 1e-9))
          return {
            rule: this.name,
            message: `group ${g.name} would hold ${(share * 100).toFixed(2)}% of equity, above its limit ${(g.maxShare * 100).toFixed(2)}%`,
            limit: g.maxShare,
            actual: share,
          };
      }
      return null;
    },
  };
}

/**
 * Correlated exposure: an order that grows a position in X is denied when X's exposure plus the exposure
 * of every open position Y whose return correlation with X is at least the threshold in absolute value
 * (counted with the sign of the correlation, so a hedge offsets) exceeds maxExposure × equity.
 * Correlations come from the rolling price history; too few observations → unknown → the pair is skipped.
 */
export function correlationRule(config: RiskConfig['correlation'], history: PriceHistory): PreTradeRule {
  return {
    name: 'correlated-exposure',
    check(order: Order, view: RiskView): Denial | null {
      const positions = view.positions?.();
      if (!positions) return null;
      // Hot path: nothing else open → nothing to correlate with.
      let others = 0;
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i]!;
        if (p.quantity !== 0 && p.instrumentId !== order.instrumentId) others++;
      }
      if (others === 0) return null;
      const { before, after } = positionAfter(order, view);
      if (isReducing(before, after)) return null;
      const inst = view.instrument(order.instrumentId);
      const px = referencePrice(order, view);
      if (!(px > 0)) return null;
      let combined = inst.notional(after, px);
      let peers = 0;
      let maxRho = 0;
      for (const p of positions) {
        if (p.quantity === 0 || p.instrumentId === inst.id) continue;
        const { rho, n } = history.correlation(inst.id, p.instrumentId);
        if (n < config.minObservations || !(Math.abs(rho) >= config.threshold)) continue;
        combined += Math.sign(rho) * value(view, p);
        peers++;
        maxRho = Math.max(maxRho, Math.abs(rho));
      }
      if (peers === 0) return null;
      const equity = view.equity();
      const share = equity > 0 ? Math.abs(combined) / equity : Infinity;
      if (share <= config.maxExposure * (1 + 1e-9)) return null;
      return {
        rule: this.name,
        message: `${inst.id} and ${peers} position(s) correlated with it (|ρ| up to ${maxRho.toFixed(3)}) would hold ${(share * 100).toFixed(2)}% of equity, above ${(config.maxExposure * 100).toFixed(2)}%`,
        limit: config.maxExposure,
        actual: share,
      };
    },
  };
}
