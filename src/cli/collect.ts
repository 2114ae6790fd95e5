import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { DEFAULT_NATS_URL, MdPublisher } from '../adapters/nats/index.js';
import {
  BinanceCollector,
  type CollectorSink,
  FanoutSink,
  JsonlSink,
  StoreSink,
  loadCollectConfig,
} from '../data/collector/index.js';
import { invalid } from '../model/index.js';
import { type SqlClient, openStore } from '../storage/index.js';

interface CollectCliOptions {
  config: string;
  duration?: string;
  nats?: string;
}

export function seconds(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw invalid(flag, v, 'must be a positive number of seconds');
  return n;
}

/** Resolves on SIGINT/SIGTERM or after `durationSec`; removes its handlers afterwards. */
export function untilStopped(durationSec: number | undefined): Promise<string> {
  return new Promise((done) => {
    const timer =
      durationSec === undefined ? undefined : setTimeout(() => finish('duration'), durationSec * 1000);
    const onInt = () => finish('SIGINT');
    const onTerm = () => finish('SIGTERM');
    function finish(why: string): void {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(why);
    }
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/**
 * `tickerml collect --config config/collect.yaml`: one live Binance collector per configured symbol,
 * writing to the store, JSONL files and/or JetStream (docs/COLLECTOR.md). SIGINT/SIGTERM (or --duration)
 * stops the feeds, writes what is buffered, waits for JetStream's acks and closes the store.
 */
export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description(
      'collect live Binance order books, trades and funding into the store, JSONL and/or JetStream',
    )
    .requiredOption('--config <file>', 'collector configuration (YAML; see config/collect.yaml)')
    .option('--duration <seconds>', 'stop after this long (default: until SIGINT/SIGTERM)')
    .option(
      '--nats <url>',
      `NATS server for the JetStream sink (default: NATS_URL; ${DEFAULT_NATS_URL} when sinks.jetstream is true)`,
    )
    .action(async (o: CollectCliOptions) => {
      const cfg = loadCollectConfig(resolve(o.config));
      const duration = seconds('--duration', o.duration);
      const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } });
      const natsUrl = o.nats ?? process.env.NATS_URL?.trim();
      const useJetStream = cfg.sinks.jetstream === true || (cfg.sinks.jetstream === 'auto' && !!natsUrl);

      const sinks: { name: string; sink: CollectorSink }[] = [];
      let store: SqlClient | undefined;
      let publisher: MdPublisher | undefined;
      try {
        if (cfg.sinks.store) {
          store = await openStore({ dataDir: join(cfg.dataDir, 'pglite') });
          sinks.push({ name: 'store', sink: new StoreSink(store) });
          log.info({ store: store.target }, 'store sink');
        }
        if (cfg.sinks.jsonl !== false) {
          sinks.push({ name: 'jsonl', sink: new JsonlSink(cfg.sinks.jsonl) });
          log.info({ dir: cfg.sinks.jsonl }, 'jsonl sink');
        }
        if (useJetStream) {
          publisher = await MdPublisher.start({
            url: natsUrl || DEFAULT_NATS_URL,
            ...cfg.jetstream,
            log: (m) => log.warn(m),
          });
          sinks.push({ name: 'jetstream', sink: publisher });
          log.info({ url: publisher.url, prefix: cfg.jetstream.prefix }, 'jetstream sink');
        }
      } catch (e) {
        for (const s of sinks) await s.sink.close().catch(() => undefined);
        await store?.close();
        throw e;
      }
      const sink = sinks.length === 1 ? sinks[0]!.sink : new FanoutSink(sinks);
      const market = cfg.venue === 'binance-usdm' ? 'usdm' : 'spot';
      const collectors = cfg.symbols.map(
        (symbol) =>
          new BinanceCollector({
            market,
            symbol,
            sink,
            snapshotDepth: cfg.streams.bookDepth,
            trades: cfg.streams.trades,
            markPrice: cfg.streams.funding,
            batchSize: cfg.batch.size,
            flushMs: cfg.batch.flushMs,
            ...(cfg.endpoints.ws ? { wsUrl: cfg.endpoints.ws } : {}),
            ...(cfg.endpoints.rest ? { restUrl: cfg.endpoints.rest } : {}),
            log: (m) => log.warn(m),
          }),
      );
      for (const c of collectors) c.start();
      log.info({ venue: cfg.venue, symbols: cfg.symbols, sinks: sinks.map((s) => s.name) }, 'collecting');
      const report = () =>
        log.info(
          {
            symbols: Object.fromEntries(collectors.map((c, i) => [cfg.symbols[i], c.stats])),
            ...(publisher ? { jetstream: publisher.stats } : {}),
          },
          'collector stats',
        );
      const ticker = setInterval(report, 10_000);
      const why = await untilStopped(duration);
      clearInterval(ticker);
      log.info({ reason: why }, 'stopping: writing buffered rows');
      await Promise.all(collectors.map((c) => c.stop()));
      try {
        await sink.close();
      } finally {
        await store?.close();
      }
      report();
      const errors = collectors.reduce((n, c) => n + c.stats.writeErrors, 0) + (publisher?.stats.failed ?? 0);
      if (errors > 0) {
        log.error({ writeErrors: errors }, 'some rows were not written; see the warnings above');
        process.exitCode = 1;
      }
    });
}
