import { Random } from '../src/core/index.js';
import { ASK, BID, F_LAST, type InstrumentId, MarketEventColumns } from '../src/model/index.js';

export interface SyntheticL2 {
  readonly deltas: MarketEventColumns;
  readonly trades: MarketEventColumns;
}

export interface SyntheticL2Options {
  readonly tick?: number;
  /** Levels a side. */
  readonly levels?: number;
  readonly startTs?: number;
  /** µs between venue messages. */
  readonly spacingUs?: number;
}

/**
 * A seeded L2 feed for benchmarks and tests, shaped like real Binance USDⓈ-M BTCUSDT traffic (measured on
 * the hftbacktest capture of 2024-08-08 in ../shared/data/exchange/binance: 60 deltas per depthUpdate
 * message, one trade per 32 deltas, the touch moving in 6.5% of messages). Each message resizes, removes
 * or refills 20–100 levels, mostly near the touch; in 6.5% of them the touch moves one tick (the level
 * that crossed is removed). About two trades at the touch follow each message. Deltas and trades come
 * in two streams, as venues send them. The book never crosses.
 */
export function syntheticL2(
  id: InstrumentId,
  messages: number,
  seed = 7,
  opts: SyntheticL2Options = {},
): SyntheticL2 {
  const rnd = new Random(seed);
  const tick = opts.tick ?? 0.5;
  const L = opts.levels ?? 200;
  const t0 = opts.startTs ?? Date.UTC(2024, 0, 2) * 1000;
  const spacing = opts.spacingUs ?? 50_000;
  const deltas = new MarketEventColumns(id, messages * 64 + 2 * L);
  const trades = new MarketEventColumns(id, messages * 2 + 16);
  const px = (ticks: number): number => Math.round(ticks * tick * 1e8) / 1e8;
  const size = (): number => 1 + rnd.int(20);
  let mid = 20_000;
  let seq = 1;
  for (let k = 1; k <= L; k++) {
    deltas.addDelta(t0, t0, seq, BID, px(mid - k), size(), 0);
    deltas.addDelta(t0, t0, seq, ASK, px(mid + k), size(), k === L ? F_LAST : 0);
  }
  for (let i = 1; i <= messages; i++) {
    const t = t0 + i * spacing;
    seq++;
    const u = rnd.next();
    if (u < 0.0325) {
      // The touch moves up: the best ask goes, a bid appears where it was, the deepest bid drops off.
      deltas.addDelta(t, t, seq, ASK, px(mid + 1), 0, 0);
      deltas.addDelta(t, t, seq, ASK, px(mid + L + 1), size(), 0);
      deltas.addDelta(t, t, seq, BID, px(mid - L), 0, 0);
      deltas.addDelta(t, t, seq, BID, px(mid), size(), 0);
      mid++;
    } else if (u < 0.065) {
      deltas.addDelta(t, t, seq, BID, px(mid - 1), 0, 0);
      deltas.addDelta(t, t, seq, BID, px(mid - L - 1), size(), 0);
      deltas.addDelta(t, t, seq, ASK, px(mid + L), 0, 0);
      deltas.addDelta(t, t, seq, ASK, px(mid), size(), 0);
      mid--;
    }
    const m = 20 + rnd.int(81);
    for (let d = 0; d < m; d++) {
      const k = 1 + Math.min(L - 1, Math.floor(rnd.exponential(1 / 15)));
      const bid = rnd.next() < 0.5;
      // One in five updates empties a level (below the touch it leaves a hole a later update refills).
      const s = k > 1 && rnd.next() < 0.2 ? 0 : size();
      deltas.addDelta(t, t, seq, bid ? BID : ASK, px(bid ? mid - k : mid + k), s, d === m - 1 ? F_LAST : 0);
    }
    for (let n = rnd.int(5); n > 0; n--) {
      const buy = rnd.next() < 0.5;
      const tt = t + 1 + rnd.int(spacing - 1);
      trades.addTrade(tt, tt, px(buy ? mid + 1 : mid - 1), 1 + rnd.int(3), buy ? 1 : -1, i);
    }
  }
  // Trades were drawn within each message's interval but not in order: sort each message's trades.
  sortTradesByTime(trades);
  return { deltas: deltas.trim(), trades: trades.trim() };
}

/** Insertion sort by ts (trades are nearly sorted: only within one message's interval). */
function sortTradesByTime(c: MarketEventColumns): void {
  for (let i = 1; i < c.length; i++) {
    const ts = c.ts[i]!;
    const p = c.price[i]!;
    const s = c.size[i]!;
    const a = c.side[i]!;
    const id = c.aux[i]!;
    let j = i - 1;
    while (j >= 0 && c.ts[j]! > ts) {
      c.ts[j + 1] = c.ts[j]!;
      c.tsRecv[j + 1] = c.tsRecv[j]!;
      c.price[j + 1] = c.price[j]!;
      c.size[j + 1] = c.size[j]!;
      c.side[j + 1] = c.side[j]!;
      c.aux[j + 1] = c.aux[j]!;
      j--;
    }
    c.ts[j + 1] = ts;
    c.tsRecv[j + 1] = ts;
    c.price[j + 1] = p;
    c.size[j + 1] = s;
    c.side[j + 1] = a;
    c.aux[j + 1] = id;
  }
}
