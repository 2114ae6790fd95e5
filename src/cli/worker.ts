import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { pino } from 'pino';
import { DEFAULT_NATS_URL, DEFAULT_PREFIX, TrialWorker } from '../adapters/nats/index.js';
import type { Logger } from '../core/index.js';
import { invalid } from '../model/index.js';

interface WorkerCliOptions {
  nats?: string;
  concurrency?: string;
  prefix?: string;
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < 1)
    throw invalid(flag, v, 'must be a positive integer');
  return n;
}

/** `tickerml worker`: runs backtests of distributed searches from the NATS JetStream work queue. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run backtests for searches started with NATS_URL set (a JetStream work-queue consumer)')
    .option('--nats <url>', `NATS server(s), comma-separated (default: NATS_URL, else ${DEFAULT_NATS_URL})`)
    .option('--concurrency <n>', 'backtests at once, one thread each (default: every core)')
    .option(
      '--prefix <name>',
      `queue prefix; must match the search's TICKERML_NATS_PREFIX (default: ${DEFAULT_PREFIX})`,
    )
    .action(async (o: WorkerCliOptions) => {
      const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid } });
      const logger: Logger = {
        debug: (msg, data) => log.debug(data ?? {}, msg),
        info: (msg, data) => log.info(data ?? {}, msg),
        warn: (msg, data) => log.warn(data ?? {}, msg),
        error: (msg, data) => log.error(data ?? {}, msg),
      };
      const prefix = o.prefix ?? process.env.TICKERML_NATS_PREFIX;
      const worker = await TrialWorker.start({
        url: o.nats ?? process.env.NATS_URL ?? DEFAULT_NATS_URL,
        concurrency: positiveInt('--concurrency', o.concurrency) ?? availableParallelism(),
        logger,
        ...(prefix ? { prefix } : {}),
      });
      const stop = () => void worker.stop();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await worker.done;
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    });
}
