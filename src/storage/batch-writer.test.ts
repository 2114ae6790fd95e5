import { describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('BatchWriter', () => {
  it('writes full batches and the remainder on flush, in order', async () => {
    const seen: number[][] = [];
    const w = new BatchWriter<number>({ batchSize: 3, writeBatch: async (rows) => void seen.push(rows) });
    await w.writeAll([1, 2, 3, 4, 5, 6, 7]);
    await w.flush();
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(w.rowsWritten).toBe(7);
  });

  it('makes the writer wait while maxInFlight batches are being written (backpressure)', async () => {
    const gates = [deferred(), deferred()];
    let calls = 0;
    const w = new BatchWriter<number>({
      batchSize: 2,
      maxInFlight: 1,
      writeBatch: () => gates[calls++]!.promise,
    });
    await w.write(1);
    await w.write(2); // first batch dispatched, in flight
    await w.write(3);
    let released = false;
    const blocked = w.write(4).then(() => (released = true)); // second batch full: must wait for the first
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toBe(false);
    expect(calls).toBe(1);
    gates[0]!.resolve();
    await blocked;
    expect(calls).toBe(2);
    gates[1]!.resolve();
    await w.flush();
    expect(w.rowsWritten).toBe(4);
  });

  it('surfaces a failed batch on the next write and on flush', async () => {
    const w = new BatchWriter<number>({
      batchSize: 1,
      writeBatch: () => Promise.reject(new Error('disk full')),
    });
    await w.write(1);
    await expect(w.flush()).rejects.toThrow('disk full');
    await expect(w.write(2)).rejects.toThrow('disk full');
  });

  it('flushes a partial batch after flushAfterMs', async () => {
    const seen: number[][] = [];
    const w = new BatchWriter<number>({
      batchSize: 100,
      flushAfterMs: 5,
      writeBatch: async (rows) => void seen.push(rows),
    });
    await w.write(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([[1]]);
    await w.close();
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new BatchWriter<number>({ batchSize: 0, writeBatch: async () => {} })).toThrow(/batchSize/);
  });
});
