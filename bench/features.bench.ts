import { OrderBook } from '../src/book/index.js';
import { Random } from '../src/core/index.js';
import { BookFeatures } from '../src/features/index.js';
import { ASK, BID, instrumentId } from '../src/model/index.js';
import { type Figure, bestOf, peakRssMb, runAsChild } from './harness.js';

/**
 * Microstructure feature throughput: a 50-level book takes 1M random deltas near the touch (and a trade
 * every tenth delta); after each delta every feature is brought up to date (BookFeatures.update: top-5
 * imbalance, micro-price, spread, realized vol and Kyle's lambda when the mid moves; trade flow and VPIN on
 * trades). The figure is deltas per second including the book update itself. Best of 5.
 */
const DELTAS = 1_000_000;

function main(): Figure[] {
  const r = new Random(5);
  // Pre-generate the deltas so the timing is the book and the features, not the random generator.
  const side = new Int8Array(DELTAS);
  const price = new Float64Array(DELTAS);
  const size = new Float64Array(DELTAS);
  for (let i = 0; i < DELTAS; i++) {
    const bid = r.next() < 0.5;
    side[i] = bid ? 1 : -1;
    const off = 1 + r.int(10); // 1..10 ticks from 1000
    price[i] = bid ? 1000 - off * 0.5 : 1000 + off * 0.5;
    size[i] = r.next() < 0.1 ? 0 : 1 + r.int(20);
  }
  let sink = 0;
  const ms = bestOf(5, () => {
    const book = new OrderBook(instrumentId('BENCH'));
    for (let k = 1; k <= 50; k++) {
      book.applyDelta(BID, 1000 - k * 0.5, 10, 0, 0);
      book.applyDelta(ASK, 1000 + k * 0.5, 10, 0, 0);
    }
    const f = new BookFeatures({ vpinBucketVolume: 100 });
    for (let i = 0; i < DELTAS; i++) {
      book.applyDelta(side[i] === 1 ? BID : ASK, price[i]!, size[i]!, i + 1, i + 1);
      if (i % 10 === 0) f.onTrade(side[i] === 1 ? 1 : -1, size[i]! + 1);
      f.update(book);
    }
    sink += f.imbalance + f.microprice;
  });
  if (!Number.isFinite(sink)) throw new Error('features produced no values');
  return [
    { name: 'features.book_updates_per_s', value: DELTAS / (ms / 1000), unit: 'deltas/s' },
    { name: 'features.peak_rss_mb', value: peakRssMb(), unit: 'MB' },
  ];
}

await runAsChild(main);
