import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MdIngestor, MdPublisher, mdMsgId, mdNames } from '../../src/adapters/nats/index.js';
import {
  BinanceCollector,
  type CollectedBatch,
  type CollectorSink,
  StoreSink,
} from '../../src/data/collector/index.js';
import { type SqlClient, openStore } from '../../src/storage/index.js';
import { type BinanceReplay, RECORDED_MESSAGES, startBinanceReplay } from '../support/binance-replay.js';
import { requireService } from '../support/services.js';

const URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
// Unique subjects, streams and consumers per test run; the streams are deleted afterwards.
const PREFIX = `tmlmd_${process.pid}_${Date.now().toString(36)}`;
const names = mdNames(PREFIX);
const run = await requireService('nats');
// The store half runs on the embedded PGlite and on the PostgreSQL server (schema per run, dropped after).
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const STORES = run && (await requireService('postgres')) ? ['pglite', 'postgres'] : ['pglite'];

const rowsOf = (b: CollectedBatch) => b.book.length + b.trades.length + b.funding.length;

async function until(cond: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(run)('collector → JetStream → store', () => {
  let replay: BinanceReplay;
  const batches: CollectedBatch[] = [];
  let publisher: MdPublisher;
  let total = 0;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    replay = await startBinanceReplay();
    publisher = await MdPublisher.start({ url: URL, prefix: PREFIX, maxInFlight: 128 });
    // What the collector handed over, to compare against what the streams and the store end up with.
    const tee: CollectorSink = {
      write: async (b) => {
        batches.push(b);
        await publisher.write(b);
      },
      close: () => publisher.close(),
    };
    const c = new BinanceCollector({
      market: 'usdm',
      symbol: 'BTCUSDT',
      wsUrl: `ws://${replay.base}`,
      restUrl: `http://${replay.base}`,
      sink: tee,
      batchSize: 500,
      flushMs: 50,
    });
    const t0 = performance.now();
    c.start();
    await until(() => c.stats.messages >= RECORDED_MESSAGES.length, 'the collector to read the recording');
    await c.stop();
    await tee.close();
    total = batches.reduce((n, b) => n + rowsOf(b), 0);
    console.log(
      `collector → JetStream: ${total} rows published in ${((performance.now() - t0) / 1000).toFixed(2)} s ` +
        `(${JSON.stringify(publisher.stats)})`,
    );
    expect(c.stats.writeErrors).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const f of cleanup) await f().catch(() => undefined);
    await replay?.close();
    const nc = await connect({ servers: URL });
    const jsm = await jetstreamManager(nc);
    for (const k of ['book', 'trade', 'funding'] as const)
      await jsm.streams.delete(names.stream(k)).catch(() => undefined);
    await nc.close();
  });

  async function streamCounts(): Promise<Record<string, number>> {
    const nc = await connect({ servers: URL });
    const jsm = await jetstreamManager(nc);
    const out: Record<string, number> = {};
    for (const k of ['book', 'trade', 'funding'] as const)
      out[k] = (await jsm.streams.info(names.stream(k))).state.messages;
    await nc.close();
    return out;
  }

  it('publishes every collected row once, on md.<kind>.<venue>.<symbol>', async () => {
    const book = batches.flatMap((b) => b.book);
    const trades = batches.flatMap((b) => b.trades);
    const funding = batches.flatMap((b) => b.funding);
    expect(book.length).toBeGreaterThan(1000);
    expect(book.filter((r) => r.snapshot).length).toBe(1);
    expect(trades.length).toBeGreaterThan(2000);
    expect(funding.length).toBe(1);
    expect(publisher.stats).toMatchObject({ published: total, duplicates: 0, failed: 0 });
    expect(await streamCounts()).toEqual({ book: book.length, trade: trades.length, funding: 1 });
    expect(names.subject('book', book[0]!.instrumentId)).toBe(`${PREFIX}.md.book.binance-usdm.BTCUSDT`);
  });

  it('a second publisher republishing the same rows (a restarted collector) adds nothing: JetStream dedup', async () => {
    const before = await streamCounts();
    const again = await MdPublisher.start({ url: URL, prefix: PREFIX });
    for (const b of batches) await again.write(b);
    await again.close();
    expect(again.stats).toMatchObject({ published: 0, duplicates: total, failed: 0 });
    expect(await streamCounts()).toEqual(before);
  });

  it.each(STORES)(
    'a consumer killed after committing a batch but before acking it, restarted, leaves every row in the store (%s) exactly once',
    async (which) => {
      const schema = `${PREFIX}_${which}`;
      const store: SqlClient =
        which === 'pglite'
          ? await openStore({ dataDir: 'memory' })
          : await openStore({ databaseUrl: PG_URL, schema });
      cleanup.push(async () => {
        if (which === 'postgres') await store.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await store.close();
      });
      const storeSink = new StoreSink(store);
      const durable = `${PREFIX}_${which}`;
      const crashAt = Math.floor(total / 3);
      let written = 0;
      const running: { first?: MdIngestor } = {};
      const crashing: CollectorSink = {
        write: async (b) => {
          await storeSink.write(b); // committed…
          written += rowsOf(b);
          if (written >= crashAt && running.first) {
            await running.first.abort(); // …and the process dies before acking
            throw new Error('killed');
          }
        },
        close: async () => {},
      };
      const first = (running.first = await MdIngestor.start({
        url: URL,
        prefix: PREFIX,
        durable,
        sink: crashing,
        batchSize: 500,
        ackWaitMs: 1500,
        pullExpiresMs: 1000,
      }));
      await first.done;
      const stored = await counts(store);
      expect(first.stats.stored).toBeLessThan(total);
      expect(stored.book + stored.trades + stored.funding).toBeGreaterThan(first.stats.stored); // committed, not acked

      const t0 = performance.now();
      const second = await MdIngestor.start({
        url: URL,
        prefix: PREFIX,
        durable,
        sink: storeSink,
        batchSize: 500,
        pullExpiresMs: 1000,
      });
      cleanup.push(() => second.stop());
      const nc = await connect({ servers: URL });
      cleanup.push(() => nc.close());
      const jsm = await jetstreamManager(nc);
      const drained = async () => {
        for (const k of ['book', 'trade', 'funding'] as const) {
          const i = await jsm.consumers.info(names.stream(k), durable);
          if (i.num_pending > 0 || i.num_ack_pending > 0) return false;
        }
        return true;
      };
      await until(drained, 'the restarted consumer to ack everything');
      await second.stop();
      console.log(
        `${which}: restarted consumer: ${second.stats.stored} rows (${second.stats.redelivered} redelivered) stored and acked ` +
          `in ${((performance.now() - t0) / 1000).toFixed(2)} s, including the ${1.5} s ack_wait`,
      );

      // Everything acked across both runs; the redelivered batch was written twice and stored once.
      expect(first.stats.stored + second.stats.stored).toBeGreaterThanOrEqual(total);
      expect(second.stats.redelivered).toBeGreaterThan(0);
      expect(second.stats.malformed + second.stats.writeErrors).toBe(0);

      const book = batches.flatMap((b) => b.book);
      const trades = batches.flatMap((b) => b.trades);
      expect(await counts(store)).toEqual({
        book: book.filter((r) => !r.snapshot).length,
        snapshots: 1,
        trades: trades.length,
        funding: batches.flatMap((b) => b.funding).length,
      });
      const seqs = await store.query<{ seq: number }>(`SELECT seq FROM book_deltas ORDER BY seq`);
      expect(seqs.map((r) => Number(r.seq))).toEqual(
        book
          .filter((r) => !r.snapshot)
          .map((r) => r.sequence)
          .sort((a, b) => a - b),
      );
      const ids = await store.query<{ trade_id: string; price: number; size: number }>(
        `SELECT trade_id, price, size FROM trades ORDER BY trade_id::bigint`,
      );
      expect(ids.map((r) => [Number(r.trade_id), r.price, r.size])).toEqual(
        trades.map((t) => [t.tradeId, t.price, t.size]).sort((a, b) => a[0]! - b[0]!),
      );
      // Every message id is distinct: JetStream and the store key the same rows.
      const msgIds = new Set(book.map((row) => mdMsgId({ kind: 'book', row })));
      expect(msgIds.size).toBe(book.length);
    },
    120_000,
  );
});

async function counts(store: SqlClient) {
  const n = async (t: string) =>
    Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n);
  return {
    book: await n('book_deltas'),
    snapshots: await n('book_snapshots'),
    trades: await n('trades'),
    funding: await n('funding_rates'),
  };
}
