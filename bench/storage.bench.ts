import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BookUpdateRecord,
  type Level,
  type SqlClient,
  bookUpdateWriter,
  loadBars,
  loadBarsCached,
  migrate,
  openPgliteClient,
  openPostgresClient,
  saveBars,
} from '../src/storage/index.js';
import { type Figure, peakRssMb, runAsChild } from './harness.js';
import { syntheticBars } from './synthetic.js';

const PGLITE_BARS = 200_000;
const LOAD_BARS = 1_000_000;
const BOOK_MESSAGES = 40_000;
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

/**
 * Book messages shaped like Binance USDⓈ-M `btcusdt@depth@0ms` diffs: the recorded file in
 * ../shared/data/exchange/binance/hftbacktest has 60 changed levels per message on average (5–120),
 * so levels per message here are uniform in 4..116 (mean 60). Prices on a 0.1 tick around 60,000.
 */
function bookMessages(n: number): { msgs: BookUpdateRecord[]; levels: number } {
  const msgs: BookUpdateRecord[] = [];
  let levels = 0;
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < n; i++) {
    const k = 4 + Math.floor(rnd() * 113);
    const bids: Level[] = [];
    const asks: Level[] = [];
    const mid = 60_000 + Math.round((rnd() - 0.5) * 200) / 10;
    for (let j = 0; j < k; j++) {
      const size = rnd() < 0.3 ? 0 : Math.round(rnd() * 5000) / 1000;
      if (j % 2 === 0) bids.push([Math.round((mid - 0.05 - j * 0.1) * 10) / 10, size]);
      else asks.push([Math.round((mid + 0.05 + j * 0.1) * 10) / 10, size]);
    }
    levels += k;
    msgs.push({
      instrumentId: 'BTCUSDT.BINANCE',
      ts: 1_723_161_255_000_000 + i * 500,
      tsRecv: 1_723_161_255_000_900 + i * 500,
      sequence: 5_000_000_000 + i,
      bids,
      asks,
      mid,
      spread: 0.1,
    });
  }
  return { msgs, levels };
}

async function pgliteIngest(): Promise<Figure[]> {
  const db = await openPgliteClient({ dataDir: 'memory' });
  await migrate(db);
  const bars = syntheticBars(PGLITE_BARS, 3);
  const t0 = process.hrtime.bigint();
  const r = await saveBars(db, bars, '1m');
  const s = seconds(t0);
  if (r.inserted !== PGLITE_BARS) throw new Error(`PGlite stored ${r.inserted} of ${PGLITE_BARS} bars`);
  const t1 = process.hrtime.bigint();
  const back = await loadBars(db, { instrumentId: bars.instrumentId, timeframe: '1m' });
  const sLoad = seconds(t1);
  if (back.length !== PGLITE_BARS) throw new Error('PGlite load lost bars');
  await db.close();
  return [
    { name: 'data.pglite_rows_per_s', value: PGLITE_BARS / s, unit: 'bars/s ingested' },
    { name: 'data.pglite_bars_load_per_s', value: PGLITE_BARS / sLoad, unit: 'bars/s (no cache)' },
  ];
}

async function pgFigures(): Promise<Figure[]> {
  const schema = `tickerml_bench_${randomBytes(3).toString('hex')}`;
  let db: SqlClient;
  try {
    db = await openPostgresClient({ url: PG_URL, schema, maxConnections: 4, connectTimeoutSeconds: 3 });
  } catch (e) {
    process.stderr.write(`storage bench: PostgreSQL figures skipped: ${(e as Error).message}\n`);
    return [];
  }
  const cacheDir = mkdtempSync(join(tmpdir(), 'tickerml-bench-cache-'));
  try {
    await migrate(db);
    // Book updates: a live collector's path (batched writer, up to 4 batches in flight).
    const { msgs, levels } = bookMessages(BOOK_MESSAGES);
    const w = bookUpdateWriter(db, { batchSize: 1_000, flushAfterMs: 0 });
    const t0 = process.hrtime.bigint();
    for (const m of msgs) await w.write(m);
    await w.close();
    const sBook = seconds(t0);
    const stored = await db.query<{ n: number }>(`SELECT count(*) AS n FROM book_deltas`);
    if (stored[0]!.n !== BOOK_MESSAGES)
      throw new Error(`stored ${stored[0]!.n} of ${BOOK_MESSAGES} book messages`);

    // Bars for a backtest: 1M bars loaded from the server (binary COPY), then from the columnar cache.
    const bars = syntheticBars(LOAD_BARS, 5);
    const t1 = process.hrtime.bigint();
    await saveBars(db, bars, '1m', { batchSize: 50_000 });
    const sIngest = seconds(t1);
    const range = { instrumentId: bars.instrumentId, timeframe: '1m' };
    let best = Infinity;
    let bestStore = Infinity;
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      const r = await loadBarsCached(db, range, { dir: cacheDir });
      const s = seconds(t);
      if (r.series.length !== LOAD_BARS || r.series.close[LOAD_BARS - 1] !== bars.close[LOAD_BARS - 1])
        throw new Error('cache load mismatch');
      if (r.source === 'cache') best = Math.min(best, s);
      else bestStore = Math.min(bestStore, s);
    }
    return [
      { name: 'data.pg_book_updates_per_s', value: levels / sBook, unit: 'level updates/s into PostgreSQL' },
      {
        name: 'data.pg_book_messages_per_s',
        value: BOOK_MESSAGES / sBook,
        unit: `messages/s (${(levels / BOOK_MESSAGES).toFixed(0)} levels each)`,
      },
      { name: 'data.pg_bars_ingest_per_s', value: LOAD_BARS / sIngest, unit: 'bars/s into PostgreSQL' },
      { name: 'data.bars_load_per_s', value: LOAD_BARS / best, unit: 'bars/s (columnar cache, 1M bars)' },
      {
        name: 'data.pg_bars_load_per_s',
        value: LOAD_BARS / bestStore,
        unit: 'bars/s (PostgreSQL, packed columns, cache miss)',
      },
    ];
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  }
}

async function main(): Promise<Figure[]> {
  const figures = [...(await pgliteIngest()), ...(await pgFigures())];
  figures.push({ name: 'data.peak_rss_mb', value: peakRssMb(), unit: 'MB' });
  return figures;
}

await runAsChild(main);
