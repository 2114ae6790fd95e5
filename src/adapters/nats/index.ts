// NATS JetStream adapter: distributed research (docs/RESEARCH.md, "Distributed runs") and the
// market-data bridge: collector → JetStream → store (docs/COLLECTOR.md).
import type { BarSeries } from '../../model/index.js';
import type { BacktestSpec, TrialRunner } from '../../research/index.js';
import { NatsTrialRunner, type NatsTrialRunnerOptions } from './trial-runner.js';

export { putBars, getBars } from './bar-store.js';
export { DEFAULT_NATS_URL, type QueueSettings, connectNats, ensureQueue } from './connection.js';
export { type JobMessage, type ResultMessage, decode, encode, parseJob, parseResult } from './messages.js';
export { DEFAULT_PREFIX, type QueueNames, queueNames } from './names.js';
export { NatsTrialRunner, type NatsRunStats, type NatsTrialRunnerOptions } from './trial-runner.js';
export { TrialWorker, type TrialWorkerOptions } from './trial-worker.js';
export { MD_KINDS, type MdKind, type MdNames, mdNames, subjectToken } from './md-names.js';
export { type MdRow, decodeMd, encodeMd, mdMsgId } from './md-messages.js';
export { type MdStreamSettings, ensureMdStreams } from './md-streams.js';
export { MdPublisher, type MdPublishStats, type MdPublisherOptions } from './md-publisher.js';
export {
  DEFAULT_INGEST_DURABLE,
  MdIngestor,
  type MdIngestStats,
  type MdIngestorOptions,
} from './md-ingestor.js';

/**
 * A NatsTrialRunner when NATS_URL is set (queue prefix from TICKERML_NATS_PREFIX), else undefined so the
 * caller keeps its local runner. `env` is a parameter so tests and the CLI can pass their own.
 */
export async function runnerFromEnv(
  bars: BarSeries,
  spec: BacktestSpec,
  env: NodeJS.ProcessEnv = process.env,
  extra: Partial<NatsTrialRunnerOptions> = {},
): Promise<TrialRunner | undefined> {
  const url = env.NATS_URL?.trim();
  if (!url) return undefined;
  const prefix = env.TICKERML_NATS_PREFIX?.trim();
  return NatsTrialRunner.start({ bars, spec, url, ...(prefix ? { prefix } : {}), ...extra });
}
