import { type InstrumentId, MarketEventColumns } from '../../model/index.js';
import type { ReplayReport } from './report.js';

/**
 * The streams a replay file yields, one instrument each, every stream in time order on both clocks.
 * `book` holds deltas and snapshots, `trades` the prints, `quotes` top-of-book tickers, `marks` funding
 * rates and mark prices. Streams with no events have length 0.
 */
export interface L2Replay {
  readonly instrumentId: InstrumentId;
  /** The venue's symbol as the file names it (e.g. `BTCUSDT`), when it does. */
  readonly symbol: string | undefined;
  readonly book: MarketEventColumns;
  readonly trades: MarketEventColumns;
  readonly quotes: MarketEventColumns;
  readonly marks: MarketEventColumns;
  readonly report: ReplayReport;
}

/** The non-empty streams, book first (the order the synchronizer breaks ties in). */
export function replayStreams(r: L2Replay): MarketEventColumns[] {
  return [r.book, r.trades, r.quotes, r.marks].filter((c) => c.length > 0);
}

/** Raises a timestamp that goes back in time to the previous one and counts it (the report's `clamped`). */
export class OrderedClock {
  private lastTs = -Infinity;
  private lastRecv = -Infinity;
  ts = 0;
  tsRecv = 0;
  constructor(private readonly report: ReplayReport) {}
  set(ts: number, tsRecv: number): void {
    if (ts < this.lastTs || tsRecv < this.lastRecv) this.report.clamped++;
    this.ts = ts < this.lastTs ? this.lastTs : ts;
    this.tsRecv = tsRecv < this.lastRecv ? this.lastRecv : tsRecv;
    this.lastTs = this.ts;
    this.lastRecv = this.tsRecv;
  }
}

export function emptyColumns(id: InstrumentId, capacity = 1024, quotes = false): MarketEventColumns {
  return new MarketEventColumns(id, capacity, { quotes });
}

/** Iterates the lines of a text without building an array of them (captures run to gigabytes). */
export function* lines(text: string): Generator<[string, number]> {
  let start = 0;
  let n = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = len;
    n++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    yield [line, n];
    start = end + 1;
  }
}

/** A decimal string or number as a finite number, else NaN. */
export function dec(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return Number.NaN;
  return Number(v);
}
