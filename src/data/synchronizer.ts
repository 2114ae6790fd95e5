import { type MarketEventColumns, TickerError, invalid } from '../model/index.js';

/**
 * A cursor over one time-ordered stream of events. `advance()` loads the next event and sets its keys;
 * it returns false when the stream is exhausted.
 */
export interface EventCursor {
  ts: number;
  tsRecv: number;
  sequence: number;
  advance(): boolean;
}

/** A cursor over columns (the replay hot path: no object per event). `row` is the loaded event. */
export class ColumnCursor implements EventCursor {
  readonly columns: MarketEventColumns;
  row = -1;
  ts = Number.NaN;
  tsRecv = Number.NaN;
  sequence = 0;
  constructor(columns: MarketEventColumns) {
    this.columns = columns;
  }
  advance(): boolean {
    const c = this.columns;
    const i = ++this.row;
    if (i >= c.length) return false;
    this.ts = c.ts[i]!;
    this.tsRecv = c.tsRecv[i]!;
    this.sequence = c.sequence[i]!;
    return true;
  }
  reset(): void {
    this.row = -1;
  }
}

export interface TimedEvent {
  readonly ts: number;
  readonly tsRecv: number;
  readonly sequence?: number;
}

/** A cursor over an array or iterator of event objects (files read line by line, funding histories…). */
export class IterableCursor<T extends TimedEvent> implements EventCursor {
  private readonly it: Iterator<T>;
  current: T | undefined = undefined;
  ts = Number.NaN;
  tsRecv = Number.NaN;
  sequence = 0;
  constructor(source: Iterable<T>) {
    this.it = source[Symbol.iterator]();
  }
  advance(): boolean {
    const r = this.it.next();
    if (r.done) {
      this.current = undefined;
      return false;
    }
    const e = r.value;
    this.current = e;
    this.ts = e.ts;
    this.tsRecv = e.tsRecv;
    this.sequence = e.sequence ?? 0;
    return true;
  }
}

export interface SynchronizerOptions {
  /**
   * 'exchange' (default): the order things happened at the venues. 'receive': the order a live system
   * would have seen them in (local receive time), to replay what the strategy really knew when.
   */
  readonly by?: 'exchange' | 'receive';
}

/**
 * Merges several streams into one deterministic order: by timestamp, ties by stream index (the order the
 * streams were given), then by sequence, which within one stream is the stream's own order (a stream may
 * mix numbered deltas with unnumbered trades, so sequences are not compared across kinds). Each stream must already be in order by the chosen time; a
 * stream that goes back in time is refused with OUT_OF_ORDER (merging cannot repair it, and silently
 * reordering would change results between runs).
 *
 * The merge scans the heads linearly: replays merge a handful of streams, where a scan of a small typed
 * array beats a heap.
 */
export class StreamSynchronizer<C extends EventCursor = EventCursor> {
  readonly cursors: readonly C[];
  readonly byReceive: boolean;
  private readonly keys: Float64Array;
  private readonly seqs: Float64Array;
  private readonly counts: Float64Array;
  private started = false;
  private last = -1;
  /** Events returned so far. */
  emitted = 0;

  constructor(cursors: readonly C[], opts: SynchronizerOptions = {}) {
    if (cursors.length === 0) throw invalid('synchronizer.streams', 0, 'needs at least one stream');
    const by = opts.by ?? 'exchange';
    if (by !== 'exchange' && by !== 'receive')
      throw invalid('synchronizer.by', by, "must be 'exchange' or 'receive'");
    this.cursors = cursors;
    this.byReceive = by === 'receive';
    this.keys = new Float64Array(cursors.length);
    this.seqs = new Float64Array(cursors.length);
    this.counts = new Float64Array(cursors.length);
  }

  /** Convenience: one ColumnCursor per columns object. */
  static ofColumns(
    columns: readonly MarketEventColumns[],
    opts: SynchronizerOptions = {},
  ): StreamSynchronizer<ColumnCursor> {
    return new StreamSynchronizer(
      columns.map((c) => new ColumnCursor(c)),
      opts,
    );
  }

  /**
   * Moves to the next event overall and returns the index of its stream (its cursor holds the event), or
   * -1 when every stream is exhausted.
   */
  next(): number {
    if (!this.started) {
      this.started = true;
      for (let j = 0; j < this.cursors.length; j++) this.load(j, -Infinity);
    } else if (this.last >= 0) this.load(this.last, this.keys[this.last]!);
    const keys = this.keys;
    let best = -1;
    let bk = Infinity;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      // Strict < keeps the lower stream index on equal times; within a stream the order is its own.
      if (k < bk) {
        bk = k;
        best = j;
      }
    }
    this.last = best;
    if (best >= 0) this.emitted++;
    return best;
  }

  private load(j: number, prevKey: number): void {
    const c = this.cursors[j]!;
    if (!c.advance()) {
      this.keys[j] = Infinity;
      return;
    }
    const k = this.byReceive ? c.tsRecv : c.ts;
    const seq = c.sequence;
    if (!(k >= prevKey)) {
      const field = this.byReceive ? 'tsRecv' : 'ts';
      throw new TickerError(
        'OUT_OF_ORDER',
        `stream ${j}, event ${this.counts[j]}: ${field} ${k} (sequence ${seq}) comes before the previous event's ${prevKey} (sequence ${this.seqs[j]}); ` +
          `sort the stream by ${field} before replaying it`,
        { field: `streams[${j}].${field}`, value: k },
      );
    }
    this.keys[j] = k;
    this.seqs[j] = seq;
    this.counts[j]!++;
  }
}
