/**
 * Throughput of the market-data bridge against a running NATS server (not part of `npm run bench`, which
 * needs no services): `npx tsx bench/md-jetstream.ts [rows]`. Publishes `rows` trade rows and as many book
 * rows through MdPublisher, then ingests them into an in-memory PGlite store with MdIngestor; prints rows/s.
 * Streams are created under a unique prefix and deleted afterwards.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { MD_KINDS, MdIngestor, MdPublisher, mdNames } from '../src/adapters/nats/index.js';
import { type CollectedBookUpdate, type CollectedTrade, StoreSink } from '../src/data/collector/index.js';
import { openStore } from '../src/storage/index.js';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const n = Number(process.argv[2] ?? 20_000);
const prefix = `mdbench_${process.pid}`;
const id = 'binance-usdm:BTCUSDT';
const t0 = 1_723_075_200_000_000;
const trades: CollectedTrade[] = Array.from({ length: n }, (_, i) => ({
  instrumentId: id,
  ts: t0 + i * 1000,
  tsRecv: t0 + i * 1000 + 350,
  tradeId: 5_000_000_000 + i,
  price: 61_000 + (i % 100) / 10,
  size: 0.001 * (1 + (i % 7)),
  aggressor: i % 2 ? 1 : -1,
}));
const book: CollectedBookUpdate[] = Array.from({ length: n }, (_, i) => ({
  instrumentId: id,
  ts: t0 + i * 1000,
  tsRecv: t0 + i * 1000 + 350,
  sequence: 4_900_000_000_000 + i,
  snapshot: false,
  bids: Array.from({ length: 5 }, (_, k) => [61_000 - k / 10, 0.5 + k] as const),
  asks: Array.from({ length: 5 }, (_, k) => [61_000.1 + k / 10, 0.7 + k] as const),
  mid: 61_000.05,
  spread: 0.1,
}));

try {
  const pub = await MdPublisher.start({ url, prefix, maxInFlight: Number(process.argv[3] ?? 256) });
  let t = performance.now();
  for (let i = 0; i < n; i += 500)
    await pub.write({ book: book.slice(i, i + 500), trades: trades.slice(i, i + 500), funding: [] });
  await pub.close();
  const pubS = (performance.now() - t) / 1000;
  console.log(
    `publish: ${2 * n} rows in ${pubS.toFixed(2)} s = ${Math.round((2 * n) / pubS)} rows/s`,
    pub.stats,
  );

  const store = await openStore({ dataDir: 'memory' });
  t = performance.now();
  const ing = await MdIngestor.start({ url, prefix, sink: new StoreSink(store), batchSize: 1000 });
  while (ing.stats.stored < 2 * n) await new Promise((r) => setTimeout(r, 20));
  const conS = (performance.now() - t) / 1000;
  await ing.stop();
  await store.close();
  console.log(
    `ingest into PGlite (memory): ${2 * n} rows in ${conS.toFixed(2)} s = ${Math.round((2 * n) / conS)} rows/s`,
  );
} finally {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  for (const k of MD_KINDS) await jsm.streams.delete(mdNames(prefix).stream(k)).catch(() => undefined);
  await nc.close();
}
