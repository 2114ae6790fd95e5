import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import {
  DEFAULT_INGEST_DURABLE,
  DEFAULT_NATS_URL,
  MD_KINDS,
  MdIngestor,
  type MdKind,
} from '../adapters/nats/index.js';
import { StoreSink } from '../data/collector/index.js';
import { invalid } from '../model/index.js';
import { openStore } from '../storage/index.js';
import { seconds, untilStopped } from './collect.js';

interface IngestCliOptions {
  nats?: string;
  prefix?: string;
  durable?: string;
  kinds?: string;
  batch?: string;
  dataDir?: string;
  duration?: string;
}

/**
 * `tickerml ingest`: the JetStream → store consumer. Durable pull consumers (one per market-data stream)
 * write each pulled batch in one transaction and ack it afterwards; a restart resumes at the first
 * message not acked (docs/COLLECTOR.md).
 */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('write market data from JetStream (published by tickerml collect) into the store')
    .option('--nats <url>', `NATS server(s) (default: NATS_URL, else ${DEFAULT_NATS_URL})`)
    .option(
      '--prefix <name>',
      "subject/stream prefix; must match the collector's jetstream.prefix (default none)",
    )
    .option(
      '--durable <name>',
      `durable consumer name; consumers with another name read independently (default ${DEFAULT_INGEST_DURABLE})`,
    )
    .option('--kinds <list>', `which streams, comma-separated (default ${MD_KINDS.join(',')})`)
    .option('--batch <n>', 'messages per pull and per transaction (default 1000)')
    .option('--data-dir <dir>', 'PGlite lives under <dir>/pglite when DATABASE_URL is unset (default data)')
    .option('--duration <seconds>', 'stop after this long (default: until SIGINT/SIGTERM)')
    .action(async (o: IngestCliOptions) => {
      const kinds = (o.kinds ?? MD_KINDS.join(',')).split(',').map((k) => k.trim());
      for (const k of kinds)
        if (!(MD_KINDS as readonly string[]).includes(k))
          throw invalid('--kinds', o.kinds, `each must be one of ${MD_KINDS.join(', ')}`);
      const batch = o.batch === undefined ? undefined : Number(o.batch);
      if (batch !== undefined && !(Number.isInteger(batch) && batch > 0))
        throw invalid('--batch', o.batch, 'must be a positive integer');
      const duration = seconds('--duration', o.duration);
      const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } });
      const store = await openStore({ dataDir: join(o.dataDir ?? 'data', 'pglite') });
      let ingestor: MdIngestor;
      try {
        ingestor = await MdIngestor.start({
          url: o.nats ?? process.env.NATS_URL ?? DEFAULT_NATS_URL,
          prefix: o.prefix ?? '',
          durable: o.durable ?? DEFAULT_INGEST_DURABLE,
          kinds: kinds as MdKind[],
          sink: new StoreSink(store),
          ...(batch ? { batchSize: batch } : {}),
          log: (m) => log.warn(m),
        });
      } catch (e) {
        await store.close();
        throw e;
      }
      log.info({ store: store.target, kinds, durable: o.durable ?? DEFAULT_INGEST_DURABLE }, 'ingesting');
      const ticker = setInterval(() => log.info(ingestor.stats, 'ingest stats'), 10_000);
      const why = await Promise.race([untilStopped(duration), ingestor.done.then(() => 'connection closed')]);
      clearInterval(ticker);
      log.info({ reason: why }, 'stopping: committing and acking the batch in hand');
      await ingestor.stop();
      await store.close();
      log.info(ingestor.stats, 'ingest stopped');
      if (ingestor.lostConnection) {
        log.error(
          'the NATS connection was lost for good; restart tickerml ingest to resume where it stopped',
        );
        process.exitCode = 1;
      }
    });
}
