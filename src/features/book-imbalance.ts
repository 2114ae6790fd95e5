import { invalid } from '../model/index.js';

/** Sizes of one book side, best level first (any array-like: a Float64Array view of a ladder, a number[]). */
export type Sizes = ArrayLike<number>;

/**
 * Order book imbalance over the top `levels` levels: Σ wᵢ(bᵢ − aᵢ) / Σ wᵢ(bᵢ + aᵢ), in [−1, 1], with depth
 * weights wᵢ = decayⁱ (level 0 = the touch). decay = 1 weighs all levels alike; decay < 1 lets the touch
 * dominate, where most of the short-horizon price information sits (Cont, Kukanov & Stoikov 2014, "The
 * price impact of order book events"; Cartea, Jaimungal & Penalva 2015, ch. 4). 0 for an empty book.
 * Levels past the end of a side count as size 0. No allocation.
 */
export function bookImbalance(bids: Sizes, asks: Sizes, levels: number, decay = 1): number {
  if (!(Number.isInteger(levels) && levels >= 1))
    throw invalid('imbalance.levels', levels, 'must be an integer >= 1');
  if (!(decay > 0 && decay <= 1)) throw invalid('imbalance.decay', decay, 'must be in (0, 1]');
  let w = 1;
  let num = 0;
  let den = 0;
  for (let i = 0; i < levels; i++) {
    const b = i < bids.length ? bids[i]! : 0;
    const a = i < asks.length ? asks[i]! : 0;
    num += w * (b - a);
    den += w * (b + a);
    w *= decay;
  }
  return den > 0 ? num / den : 0;
}

/** Mid price. */
export function midPrice(bidPx: number, askPx: number): number {
  return (bidPx + askPx) / 2;
}

/** Quoted spread and the same in basis points of the mid. */
export function spread(bidPx: number, askPx: number): number {
  return askPx - bidPx;
}

export function spreadBps(bidPx: number, askPx: number): number {
  return ((askPx - bidPx) / ((bidPx + askPx) / 2)) * 1e4;
}

/**
 * Size-weighted mid ("weighted mid price"), the first-order micro-price of Stoikov 2018 ("The micro-price:
 * a high-frequency estimator of future prices", Quantitative Finance): (ask·bidSize + bid·askSize) /
 * (bidSize + askSize). It leans toward the side with less size, the side more likely to be taken out.
 * With no size on either side it is the mid.
 */
export function microprice(bidPx: number, bidSize: number, askPx: number, askSize: number): number {
  const t = bidSize + askSize;
  return t > 0 ? (askPx * bidSize + bidPx * askSize) / t : (bidPx + askPx) / 2;
}

/** Micro-price minus mid, in basis points of the mid: > 0 when the book leans up. */
export function micropriceDeviationBps(
  bidPx: number,
  bidSize: number,
  askPx: number,
  askSize: number,
): number {
  const mid = (bidPx + askPx) / 2;
  return ((microprice(bidPx, bidSize, askPx, askSize) - mid) / mid) * 1e4;
}

/**
 * Spread between two venues' books for the same instrument, from the buyer's side: what selling on venue B
 * (at its bid) earns over buying on venue A (at its ask), in basis points of A's ask. > 0 is a crossed
 * cross-venue market before fees; fees, slippage and transfer costs are the arbitrage monitor's business.
 */
export function crossVenueSpreadBps(askA: number, bidB: number): number {
  return ((bidB - askA) / askA) * 1e4;
}
