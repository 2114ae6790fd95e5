import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  type SqlClient,
  saveBookSnapshots,
  saveBookUpdates,
  saveFundingRates,
  saveTrades,
} from '../../storage/index.js';
import { instrumentId as asInstrumentId } from '../../model/index.js';
import type { CollectedBatch, CollectorSink } from './sink.js';

/** Appends one JSON object a line to `<dir>/book.jsonl`, `trades.jsonl`, `funding.jsonl`. */
export class JsonlSink implements CollectorSink {
  private readonly files: Record<'book' | 'trades' | 'funding', WriteStream>;
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    const open = (n: string) => createWriteStream(join(dir, `${n}.jsonl`), { flags: 'a' });
    this.files = { book: open('book'), trades: open('trades'), funding: open('funding') };
  }

  async write(b: CollectedBatch): Promise<void> {
    const put = (f: WriteStream, rows: readonly object[]) =>
      rows.length === 0
        ? Promise.resolve()
        : new Promise<void>((ok, fail) =>
            f.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n', (e) => (e ? fail(e) : ok())),
          );
    await Promise.all([
      put(this.files.book, b.book),
      put(this.files.trades, b.trades),
      put(this.files.funding, b.funding),
    ]);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.files).map((f) => new Promise<void>((ok) => f.end(() => ok()))));
  }
}

/** Writes batches to TickerML's store (idempotent: a replayed batch adds no duplicate rows). */
export class StoreSink implements CollectorSink {
  constructor(private readonly client: SqlClient) {}

  async write(b: CollectedBatch): Promise<void> {
    const diffs = b.book.filter((u) => !u.snapshot);
    const snaps = b.book.filter((u) => u.snapshot);
    if (diffs.length)
      await saveBookUpdates(
        this.client,
        diffs.map((u) => ({ ...u, mid: nanToUndef(u.mid), spread: nanToUndef(u.spread) })),
      );
    if (snaps.length)
      await saveBookSnapshots(
        this.client,
        snaps.map((s) => ({
          instrumentId: asInstrumentId(s.instrumentId),
          ts: s.ts,
          tsRecv: s.tsRecv,
          sequence: s.sequence,
          bidPrices: s.bids.map((l) => l[0]),
          bidSizes: s.bids.map((l) => l[1]),
          askPrices: s.asks.map((l) => l[0]),
          askSizes: s.asks.map((l) => l[1]),
        })),
      );
    if (b.trades.length) await saveTrades(this.client, b.trades);
    if (b.funding.length) await saveFundingRates(this.client, b.funding);
  }

  async close(): Promise<void> {}
}

const nanToUndef = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);
