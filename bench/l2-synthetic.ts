import { Random } from '../src/core/index.js';
import { ASK, BID, F_LAST, type InstrumentId, MarketEventColumns } from '../src/model/index.js';

export interface SyntheticL2 {
  readonly deltas: MarketEventColumns;
  readonly trades: MarketEventColumns;
}

/**
 * A seeded L2 feed for benchmarks and tests: `messages` venue messages 1 ms apart over a book of `levels`
 * levels a side around a random-walk mid (in ticks). Each message either moves the touch one tick (the
 * level that crossed is removed, a new one appears at the far end) or resizes one level; some are
 * followed by a trade at the touch. Deltas and trades come in two streams, as venues send them.
 */
export function syntheticL2(id: InstrumentId, messages: number, seed = 7, opts: { tick?: number; levels?: number; startTs?: number } = {}): SyntheticL2 {
  const rnd = new Random(seed);
  const tick = opts.tick ?? 0.5;
  const L = opts.levels ?? 20;
  const t0 = opts.startTs ?? Date.UTC(2024, 0, 2) * 1000;
  const deltas = new MarketEventColumns(id, Math.ceil(messages * 1.6) + 2 * L);
  const trades = new MarketEventColumns(id, Math.ceil(messages * 0.35));
  const px = (ticks: number): number => Math.round(ticks * tick * 1e8) / 1e8;
  let mid = 20_000;
  let seq = 1;
  for (let k = 1; k <= L; k++) {
    deltas.addDelta(t0, t0, seq, BID, px(mid - k), 1 + rnd.int(20), 0);
    deltas.addDelta(t0, t0, seq, ASK, px(mid + k), 1 + rnd.int(20), k === L ? F_LAST : 0);
  }
  for (let i = 1; i <= messages; i++) {
    const t = t0 + i * 1_000;
    seq++;
    const u = rnd.next();
    if (u < 0.05) {
      // The touch moves up: the best ask goes, a bid appears where it was, the deepest bid drops off.
      deltas.addDelta(t, t, seq, ASK, px(mid + 1), 0, 0);
      deltas.addDelta(t, t, seq, ASK, px(mid + L + 1), 1 + rnd.int(20), 0);
      deltas.addDelta(t, t, seq, BID, px(mid - L), 0, 0);
      deltas.addDelta(t, t, seq, BID, px(mid), 1 + rnd.int(20), F_LAST);
      mid++;
    } else if (u < 0.1) {
      deltas.addDelta(t, t, seq, BID, px(mid - 1), 0, 0);
      deltas.addDelta(t, t, seq, BID, px(mid - L - 1), 1 + rnd.int(20), 0);
      deltas.addDelta(t, t, seq, ASK, px(mid + L), 0, 0);
      deltas.addDelta(t, t, seq, ASK, px(mid), 1 + rnd.int(20), F_LAST);
      mid--;
    } else {
      // Most messages resize a level, mostly near the touch.
      const k = 1 + Math.min(L - 1, Math.floor(rnd.exponential(0.5)));
      const bid = rnd.next() < 0.5;
      deltas.addDelta(t, t, seq, bid ? BID : ASK, px(bid ? mid - k : mid + k), 1 + rnd.int(20), F_LAST);
    }
    if (rnd.next() < 0.3) {
      const buy = rnd.next() < 0.5;
      trades.addTrade(t + 500, t + 500, px(buy ? mid + 1 : mid - 1), 1 + rnd.int(3), buy ? 1 : -1, i);
    }
  }
  return { deltas: deltas.trim(), trades: trades.trim() };
}
