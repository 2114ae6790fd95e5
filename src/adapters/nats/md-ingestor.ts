import { AckPolicy, type Consumer, type JsMsg, jetstream } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import type { CollectedBatch, CollectorSink } from '../../data/collector/index.js';
import { invalid } from '../../model/index.js';
import { DEFAULT_NATS_URL, connectNats, manager } from './connection.js';
import { type MdRow, decodeMd } from './md-messages.js';
import { MD_KINDS, type MdKind, type MdNames, mdNames } from './md-names.js';
import { type MdStreamSettings, ensureMdStreams } from './md-streams.js';

export const DEFAULT_INGEST_DURABLE = 'tickerml_store';

export interface MdIngestorOptions extends MdStreamSettings {
  /** Where rows go: the store (StoreSink) is the usual one; it must be idempotent (rows are redelivered). */
  readonly sink: CollectorSink;
  /** Default: NATS_URL, else nats://127.0.0.1:4222. */
  readonly url?: string;
  readonly prefix?: string;
  /** Durable consumer name, the same on every stream (default `tickerml_store`). */
  readonly durable?: string;
  readonly kinds?: readonly MdKind[];
  /** Messages per pull and per store transaction (default 1000). */
  readonly batchSize?: number;
  /** A delivered message not acked for this long is redelivered (default 60 s; set when the consumer is created). */
  readonly ackWaitMs?: number;
  /**
   * How long one pull waits for messages (default 5000 ms, minimum 1000; also how long a stop may wait).
   * The client expects server heartbeats every half of it; PGlite writes block the event loop, so a short
   * pull fails with "heartbeats missed" under load (harmless, but noisy).
   */
  readonly pullExpiresMs?: number;
  readonly log?: (msg: string) => void;
}

export interface MdIngestStats {
  /** Messages written to the sink and acked. */
  stored: number;
  /** Of those, messages JetStream had delivered before (a consumer died before acking). */
  redelivered: number;
  /** Messages that failed to parse: terminated (never redelivered), counted, logged once per kind. */
  malformed: number;
  /** Batches the sink refused: nak'ed, so JetStream delivers them again. */
  writeErrors: number;
  batches: number;
  byKind: Record<MdKind, number>;
}

/**
 * Reads the market-data streams with a durable pull consumer per stream and writes each pulled batch to a
 * sink in one call, acking every message only after the sink has committed it. A consumer that dies
 * between commit and ack gets the batch again after `ackWaitMs` (at-least-once); the store's inserts are
 * idempotent (every table has a natural key, ON CONFLICT DO NOTHING), so it holds each row once. After a
 * restart the durable consumer resumes at the first message not acked.
 */
export class MdIngestor {
  readonly stats: MdIngestStats = {
    stored: 0,
    redelivered: 0,
    malformed: 0,
    writeErrors: 0,
    batches: 0,
    byKind: { book: 0, trade: 0, funding: 0 },
  };
  /** Resolves when every loop has ended and the connection is closed. */
  readonly done: Promise<void>;
  private stopping = false;
  private aborted = false;
  /** True when the loops ended because the connection closed under them (not stop() or abort()). */
  lostConnection = false;
  private readonly malformedKinds = new Set<string>();

  private constructor(
    readonly names: MdNames,
    private readonly nc: NatsConnection,
    consumers: readonly (readonly [MdKind, Consumer])[],
    private readonly sink: CollectorSink,
    private readonly batchSize: number,
    private readonly expires: number,
    private readonly log: (msg: string) => void,
  ) {
    this.done = Promise.all(consumers.map(([k, c]) => this.loop(k, c))).then(async () => {
      if (!this.aborted && !this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
    });
  }

  static async start(o: MdIngestorOptions): Promise<MdIngestor> {
    const url = o.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
    const names = mdNames(o.prefix ?? '');
    const durable = o.durable ?? DEFAULT_INGEST_DURABLE;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(durable))
      throw invalid('durable', durable, 'must be 1-64 letters, digits, "_" or "-"');
    const batch = o.batchSize ?? 1000;
    if (!Number.isInteger(batch) || batch < 1)
      throw invalid('batchSize', o.batchSize, 'must be a positive integer');
    const ackWaitMs = o.ackWaitMs ?? 60_000;
    if (!(ackWaitMs >= 1000)) throw invalid('ackWaitMs', o.ackWaitMs, 'must be at least 1000 ms');
    const expires = o.pullExpiresMs ?? 5000;
    if (!(expires >= 1000)) throw invalid('pullExpiresMs', o.pullExpiresMs, 'must be at least 1000 ms');
    const kinds = o.kinds ?? MD_KINDS;
    const nc = await connectNats(url, `tickerml ingest ${durable}`);
    try {
      const jsm = await manager(nc, url);
      await ensureMdStreams(jsm, names, o, kinds);
      const js = jetstream(nc);
      const consumers: [MdKind, Consumer][] = [];
      for (const kind of kinds) {
        const stream = names.stream(kind);
        const has = await jsm.consumers.info(stream, durable).then(
          () => true,
          (e: unknown) => {
            if (e instanceof Error && /not found/i.test(e.message)) return false;
            throw e;
          },
        );
        if (!has)
          await jsm.consumers
            .add(stream, {
              durable_name: durable,
              ack_policy: AckPolicy.Explicit,
              ack_wait: nanos(ackWaitMs),
              // Room for a batch being written and the next pull.
              max_ack_pending: Math.max(1000, batch * 2),
            })
            .catch(async (e: unknown) => {
              await jsm.consumers.info(stream, durable).catch(() => Promise.reject(e)); // lost a race: fine
            });
        consumers.push([kind, await js.consumers.get(stream, durable)]);
      }
      return new MdIngestor(names, nc, consumers, o.sink, batch, expires, o.log ?? (() => {}));
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  private async loop(kind: MdKind, consumer: Consumer): Promise<void> {
    while (!this.stopping) {
      const msgs: JsMsg[] = [];
      let failure: Error | undefined;
      try {
        const it = await consumer.fetch({ max_messages: this.batchSize, expires: this.expires });
        for await (const m of it) msgs.push(m);
      } catch (e) {
        failure = e as Error;
      }
      if (this.aborted) return;
      // A pull can fail after delivering part of a batch (e.g. heartbeats missed while a store write kept
      // the event loop busy): what was delivered is handled now, or it would wait out the ack wait.
      if (msgs.length > 0) await this.handle(kind, msgs);
      if (failure && !this.stopping) {
        if (this.nc.isClosed()) {
          // The client gave up reconnecting: nothing more can be pulled or acked.
          this.lostConnection = true;
          this.stopping = true;
          this.log(`ingest ${kind}: the NATS connection is closed (${failure.message}); stopping`);
          return;
        }
        this.log(`ingest ${kind}: pull failed (${failure.message}), retrying`);
        if (msgs.length === 0) await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async handle(kind: MdKind, msgs: JsMsg[]): Promise<void> {
    const good: JsMsg[] = [];
    const batch: {
      book: CollectedBatch['book'][number][];
      trades: CollectedBatch['trades'][number][];
      funding: CollectedBatch['funding'][number][];
    } = { book: [], trades: [], funding: [] };
    for (const m of msgs) {
      let r: MdRow;
      try {
        r = decodeMd(kind, m.data);
      } catch (e) {
        this.stats.malformed++;
        if (!this.malformedKinds.has(kind)) {
          this.malformedKinds.add(kind);
          this.log(
            `ingest ${kind}: malformed message ${m.seq} on ${m.subject} dropped (${(e as Error).message})`,
          );
        }
        m.term((e as Error).message);
        continue;
      }
      good.push(m);
      if (r.kind === 'book') batch.book.push(r.row);
      else if (r.kind === 'trade') batch.trades.push(r.row);
      else batch.funding.push(r.row);
    }
    if (good.length === 0) return;
    try {
      await this.sink.write(batch);
    } catch (e) {
      if (this.aborted) return;
      this.stats.writeErrors++;
      this.log(
        `ingest ${kind}: writing ${good.length} rows failed (${(e as Error).message}); they will be redelivered`,
      );
      for (const m of good) m.nak(1000);
      return;
    }
    // A consumer that dies here (committed, not acked) gets this batch again: the store skips its rows.
    if (this.aborted) return;
    for (const m of good) {
      m.ack();
      if (m.info.redelivered) this.stats.redelivered++;
    }
    this.stats.stored += good.length;
    this.stats.byKind[kind] += good.length;
    this.stats.batches++;
  }

  /** Stops pulling; the batch being written is committed and acked; then the connection is drained. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  /**
   * Closes the connection at once: nothing more is acked, as when the process is killed. What was
   * delivered and not acked comes back (to this durable consumer) after ack_wait.
   */
  async abort(): Promise<void> {
    this.stopping = true;
    this.aborted = true;
    await this.nc.close();
  }
}
