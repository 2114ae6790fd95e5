import { invalid } from '../model/index.js';

export interface BatchWriterOptions<T> {
  /** Writes one batch (one transaction); resolves when it is durable. */
  readonly writeBatch: (rows: T[]) => Promise<unknown>;
  /** Rows per batch (default 5,000). */
  readonly batchSize?: number;
  /** Batches allowed in flight at once (default 1; a server pool can take more). */
  readonly maxInFlight?: number;
  /** Flush a partial batch after this many ms without one filling up (live feeds); 0 = only when full. */
  readonly flushAfterMs?: number;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * Collects rows into batches and writes them with bounded concurrency. `write` resolves at once while
 * there is room and waits (backpressure) when `maxInFlight` batches are already being written and a new
 * batch is full, so a fast feed cannot grow memory without bound: `await writer.write(row)`.
 * A failed batch makes the next `write`/`flush` reject with its error; the rows of that batch are not
 * retried (idempotent inserts make re-sending them safe).
 */
export class BatchWriter<T> {
  private readonly writeBatch: (rows: T[]) => Promise<unknown>;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly flushAfterMs: number;
  private buffer: T[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = undefined;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Rows handed to completed batch writes. */
  rowsWritten = 0;
  batchesWritten = 0;

  constructor(opts: BatchWriterOptions<T>) {
    this.writeBatch = opts.writeBatch;
    this.batchSize = opts.batchSize ?? 5_000;
    this.maxInFlight = opts.maxInFlight ?? 1;
    this.flushAfterMs = opts.flushAfterMs ?? 0;
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0))
      throw invalid('batchSize', this.batchSize, 'must be a positive integer');
    if (!(Number.isInteger(this.maxInFlight) && this.maxInFlight > 0))
      throw invalid('maxInFlight', this.maxInFlight, 'must be a positive integer');
  }

  /** Buffers one row; the returned promise resolves once there is room for more. */
  write(row: T): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.buffer.push(row);
    if (this.buffer.length < this.batchSize) {
      if (this.flushAfterMs > 0 && this.timer === undefined) this.armTimer();
      return DONE;
    }
    return this.dispatch();
  }

  /** Buffers many rows, waiting for room as needed. */
  async writeAll(rows: Iterable<T>): Promise<void> {
    for (const r of rows) {
      const p = this.write(r);
      if (p !== DONE) await p;
    }
  }

  /** Writes everything buffered and waits for every batch in flight. */
  async flush(): Promise<void> {
    if (this.buffer.length > 0) await this.dispatch();
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes and stops the timer; the writer may not be used afterwards. */
  async close(): Promise<void> {
    this.clearTimer();
    await this.flush();
  }

  get buffered(): number {
    return this.buffer.length;
  }

  private async dispatch(): Promise<void> {
    this.clearTimer();
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    const p: Promise<void> = this.writeBatch(rows).then(
      () => {
        this.rowsWritten += rows.length;
        this.batchesWritten++;
        this.inFlight.delete(p);
      },
      (e: unknown) => {
        if (this.failure === undefined) this.failure = e;
        this.inFlight.delete(p);
      },
    );
    this.inFlight.add(p);
  }

  private armTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dispatch().catch(() => {}); // a failure is kept and surfaces on the next write or flush
    }, this.flushAfterMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
