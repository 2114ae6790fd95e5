import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CollectedBatch, CollectorSink } from '../../data/collector/index.js';
import { TickerError, invalid } from '../../model/index.js';
import { DEFAULT_NATS_URL, connectNats, manager } from './connection.js';
import { type MdRow, encodeMd, mdMsgId } from './md-messages.js';
import { type MdKind, type MdNames, mdNames } from './md-names.js';
import { type MdStreamSettings, ensureMdStreams } from './md-streams.js';

export interface MdPublisherOptions extends MdStreamSettings {
  /** Default: NATS_URL, else nats://127.0.0.1:4222. */
  readonly url?: string;
  /** Subject and stream prefix (default none: `md.book.…` on MD_BOOK). */
  readonly prefix?: string;
  /** Publishes awaiting their JetStream ack at once (default 256); more waits: backpressure. */
  readonly maxInFlight?: number;
  /** Retries of a publish that failed or timed out, with the same message id (default 2). */
  readonly retries?: number;
  /** Ack timeout per publish (default 5000 ms). */
  readonly timeoutMs?: number;
  readonly log?: (msg: string) => void;
}

export interface MdPublishStats {
  /** Rows stored by JetStream (new). */
  published: number;
  /** Rows JetStream already held (same message id inside the duplicate window): not stored again. */
  duplicates: number;
  /** Rows that could not be published after every retry. */
  failed: number;
  /** Publishes retried. */
  retried: number;
  byKind: Record<MdKind, number>;
}

/**
 * A collector sink that publishes every row to JetStream: book messages on `md.book.<venue>.<symbol>`,
 * trades on `md.trade.…`, funding on `md.funding.…`, each with a message id from the venue's own
 * numbering (md-messages.ts), so a row published twice (a retry, a restarted collector) is stored once.
 *
 * At most `maxInFlight` publishes wait for their ack at any time; `write` waits for room (backpressure
 * reaches the collector, whose writes run one at a time) and resolves when every row of the batch is
 * acked or has failed. A failed row is retried `retries` times, then counted in `stats.failed` and
 * `write` rejects saying how many of the batch were lost (the collector counts a write error).
 */
export class MdPublisher implements CollectorSink {
  readonly stats: MdPublishStats = {
    published: 0,
    duplicates: 0,
    failed: 0,
    retried: 0,
    byKind: { book: 0, trade: 0, funding: 0 },
  };
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  private constructor(
    readonly url: string,
    readonly names: MdNames,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly maxInFlight: number,
    private readonly retries: number,
    private readonly timeoutMs: number,
    private readonly log: (msg: string) => void,
  ) {}

  /** Connects and creates (or verifies) the three streams. */
  static async start(o: MdPublisherOptions = {}): Promise<MdPublisher> {
    const url = o.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
    const names = mdNames(o.prefix ?? '');
    const maxInFlight = o.maxInFlight ?? 256;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw invalid('jetstream.maxInFlight', o.maxInFlight, 'must be a positive integer');
    const retries = o.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0)
      throw invalid('jetstream.retries', o.retries, 'must be a non-negative integer');
    const nc = await connectNats(url, 'tickerml collector');
    try {
      await ensureMdStreams(await manager(nc, url), names, o);
      return new MdPublisher(
        url,
        names,
        nc,
        jetstream(nc),
        maxInFlight,
        retries,
        o.timeoutMs ?? 5000,
        o.log ?? (() => {}),
      );
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  async write(b: CollectedBatch): Promise<void> {
    if (this.closed) throw new TickerError('CLOSED', 'the JetStream publisher is closed');
    const pending: Promise<boolean>[] = [];
    const put = async (m: MdRow) => {
      while (this.inFlight >= this.maxInFlight) await this.settled();
      this.inFlight++;
      pending.push(this.publish(m).finally(() => this.release()));
    };
    for (const row of b.book) await put({ kind: 'book', row });
    for (const row of b.trades) await put({ kind: 'trade', row });
    for (const row of b.funding) await put({ kind: 'funding', row });
    const ok = await Promise.all(pending);
    const lost = ok.filter((x) => !x).length;
    if (lost > 0)
      throw new TickerError(
        'PUBLISH_FAILED',
        `${lost} of ${ok.length} rows were not acknowledged by JetStream at ${this.url}`,
        { field: 'NATS_URL', value: this.url },
      );
  }

  private release(): void {
    this.inFlight--;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves when some publish in flight settles. */
  private settled(): Promise<void> {
    return new Promise<void>((r) => this.waiting.push(r));
  }

  /** One row, retried with the same id; true when JetStream has it (new or duplicate). */
  private async publish(m: MdRow): Promise<boolean> {
    const subject = this.names.subject(m.kind, m.row.instrumentId);
    const data = encodeMd(m.row);
    const msgID = mdMsgId(m);
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await this.js.publish(subject, data, { msgID, timeout: this.timeoutMs });
        if (ack.duplicate) this.stats.duplicates++;
        else {
          this.stats.published++;
          this.stats.byKind[m.kind]++;
        }
        return true;
      } catch (e) {
        if (attempt >= this.retries || this.closed) {
          this.stats.failed++;
          if (this.stats.failed === 1 || this.stats.failed % 1000 === 0)
            this.log(
              `jetstream: publish to ${subject} failed (${(e as Error).message}); ${this.stats.failed} rows lost so far`,
            );
          return false;
        }
        this.stats.retried++;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  /** Waits for every publish in flight, then drains and closes the connection. */
  async close(): Promise<void> {
    while (this.inFlight > 0) await this.settled();
    if (this.closed) return;
    this.closed = true;
    await this.nc.drain();
  }
}
