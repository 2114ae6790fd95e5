import type { CollectedBatch, CollectorSink } from './sink.js';

/**
 * Hands every batch to several sinks at once (store, JSONL, JetStream). A sink that fails does not stop
 * the others from getting the batch; `write` then rejects naming the sinks that failed.
 */
export class FanoutSink implements CollectorSink {
  constructor(private readonly sinks: readonly { readonly name: string; readonly sink: CollectorSink }[]) {}

  async write(b: CollectedBatch): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((s) => s.sink.write(b)));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${this.sinks[i]!.name}: ${(r.reason as Error).message}`] : [],
    );
    if (failed.length > 0) throw new Error(failed.join('; '));
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((s) => s.sink.close()));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${this.sinks[i]!.name}: ${(r.reason as Error).message}`] : [],
    );
    if (failed.length > 0) throw new Error(`closing sinks failed: ${failed.join('; ')}`);
  }
}
