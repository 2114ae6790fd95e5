import { invalid } from '../../model/index.js';

/**
 * Where one of our resting orders stands in the FIFO queue of its price level. The replayed book never
 * contains our simulated order, so `ahead` is measured against the market's visible size.
 */
export class QueuePosition {
  /** Visible quantity ahead of us. Below zero, trades have reached into our order by that much. */
  ahead = 0;
  /** Quantity traded at our price since the last depth update at it (that update already shows it). */
  tradedSinceDepth = 0;
  /** `ahead` when the order joined the queue (recorded on fills: fills from deep in a queue are the toxic ones). */
  aheadAtArrival = 0;
}

/**
 * A queue-position model (hftbacktest's `QueueModel`: new order, trade, depth change). The venue calls
 * `join` when an order starts resting, `advanceOnTrade` for each trade at the order's price and
 * `advanceOnDepth` when the level's visible size changes; it fills the order by `fillable` whenever
 * `ahead` goes below zero.
 */
export interface QueueModel {
  readonly name: string;
  join(q: QueuePosition, visibleSize: number): void;
  advanceOnTrade(q: QueuePosition, quantity: number): void;
  advanceOnDepth(q: QueuePosition, prevSize: number, newSize: number): void;
}

/** Whole lots of our order that trades have reached (0 when none). */
export function fillable(q: QueuePosition, lotSize: number): number {
  if (!(q.ahead < 0)) return 0;
  // Round first: -0.30000000000000004 of 0.1 lots is 3 lots, not 2.
  const lots = Math.floor(Math.round((-q.ahead / lotSize) * 1e9) / 1e9);
  return lots * lotSize;
}

function joinQueue(q: QueuePosition, visibleSize: number): void {
  if (!(visibleSize >= 0)) throw invalid('queue.visibleSize', visibleSize, 'must be >= 0');
  q.ahead = visibleSize;
  q.aheadAtArrival = visibleSize;
  q.tradedSinceDepth = 0;
}

/**
 * Conservative: only trades at our price move us forward. A shrinking level is assumed to have lost
 * orders behind us, except that the queue ahead can never be longer than the whole level (if the level
 * shows 2 and we had 5 ahead, at least 3 of them left).
 */
export class RiskAverseQueueModel implements QueueModel {
  readonly name = 'risk-averse';
  join(q: QueuePosition, visibleSize: number): void {
    joinQueue(q, visibleSize);
  }
  advanceOnTrade(q: QueuePosition, quantity: number): void {
    q.ahead -= quantity;
  }
  advanceOnDepth(q: QueuePosition, _prevSize: number, newSize: number): void {
    if (q.ahead > newSize) q.ahead = newSize;
  }
}

/** How the probability that a decrease happened behind us is shaped (hftbacktest's probability functions). */
export type QueueProbability = 'power' | 'log' | 'power2' | 'log2' | 'power3';

/**
 * Probabilistic (Rigtorp 2013, "Estimating order queue position"; hftbacktest's `ProbQueueModel`): trades
 * at our price move us forward in full; other decreases of the level are cancellations, split between
 * ahead and behind us. With `front` ahead and `back` behind, the share behind is p = prob(front, back):
 *   power:  f(back)/(f(back)+f(front)), f(x) = x^n     log:  same with f(x) = ln(1+x)
 *   power2: f(back)/f(back+front), f(x) = x^n          log2: same with f(x) = ln(1+x)
 *   power3: 1 - (front/(front+back))^n
 * so a decrease of `chg` moves us forward by (1-p)·chg (and by any excess beyond what was behind us).
 * The decrease a trade already caused is subtracted first so it is not counted twice.
 */
export class ProbabilisticQueueModel implements QueueModel {
  readonly name: string;
  readonly shape: QueueProbability;
  readonly n: number;

  constructor(shape: QueueProbability = 'power', n = 3) {
    if (!['power', 'log', 'power2', 'log2', 'power3'].includes(shape))
      throw invalid('queue.shape', shape, "must be 'power', 'log', 'power2', 'log2' or 'power3'");
    if (!(Number.isFinite(n) && n > 0)) throw invalid('queue.n', n, 'must be a positive number');
    this.shape = shape;
    this.n = n;
    this.name = `probabilistic-${shape}${shape.startsWith('power') ? `-${n}` : ''}`;
  }

  /** Probability that a decrease of the level happened behind us. */
  probBehind(front: number, back: number): number {
    const n = this.n;
    let p: number;
    switch (this.shape) {
      case 'power':
        p = back ** n / (back ** n + front ** n);
        break;
      case 'log':
        p = Math.log1p(back) / (Math.log1p(back) + Math.log1p(front));
        break;
      case 'power2':
        p = back ** n / (back + front) ** n;
        break;
      case 'log2':
        p = Math.log1p(back) / Math.log1p(back + front);
        break;
      default:
        p = 1 - (front / (front + back)) ** n;
    }
    // 0/0 (nothing ahead or behind): nothing to split; treat the decrease as behind us.
    return Number.isFinite(p) ? p : 1;
  }

  join(q: QueuePosition, visibleSize: number): void {
    joinQueue(q, visibleSize);
  }

  advanceOnTrade(q: QueuePosition, quantity: number): void {
    q.ahead -= quantity;
    q.tradedSinceDepth += quantity;
  }

  advanceOnDepth(q: QueuePosition, prevSize: number, newSize: number): void {
    const chg = prevSize - newSize - q.tradedSinceDepth;
    q.tradedSinceDepth = 0;
    if (chg <= 0) {
      // The level grew (new orders join behind us) or shrank no more than the trades explain.
      if (q.ahead > newSize) q.ahead = newSize;
      return;
    }
    const front = q.ahead > 0 ? q.ahead : 0;
    const back = Math.max(0, prevSize - front);
    const p = this.probBehind(front, back);
    // What falls behind us beyond the orders there must have come from ahead of us.
    const est = front - (1 - p) * chg + Math.min(0, back - p * chg);
    const next = Math.min(est, newSize);
    if (next < q.ahead) q.ahead = next;
  }
}
