import {
  AckPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect, nanos } from '@nats-io/transport-node';
import { TickerError, invalid } from '../../model/index.js';
import type { QueueNames } from './names.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** How the shared work queue behaves; set by whoever creates the consumer first (search or worker). */
export interface QueueSettings {
  /** A job not acked (nor marked `working`) within this long is redelivered to another worker. */
  readonly ackWaitMs?: number;
  /** Deliveries of one job before JetStream gives up on it (a job that keeps killing workers). */
  readonly maxDeliver?: number;
  /** How long stored bars and unread results are kept. */
  readonly retentionMs?: number;
}

const DAY = 86_400_000;

/** Connects, turning "connection refused" into a message that says which URL and what to do. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  if (typeof url !== 'string' || url.trim() === '') throw invalid('NATS_URL', url, 'must be a NATS URL');
  try {
    return await connect({ servers: url.split(',').map((s) => s.trim()), name, timeout: 5000 });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new TickerError(
      'NATS_UNREACHABLE',
      `cannot connect to NATS at ${url} (${why}). Start a NATS server with JetStream enabled ` +
        '(`nats-server -js`), or point NATS_URL / --nats at a running one',
      { field: 'NATS_URL', value: url, cause: e },
    );
  }
}

export async function manager(nc: NatsConnection, url: string): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc);
  } catch (e) {
    throw new TickerError(
      'NATS_NO_JETSTREAM',
      `the NATS server at ${url} does not have JetStream enabled; start it with \`nats-server -js\``,
      { field: 'NATS_URL', value: url, cause: e },
    );
  }
}

function positive(field: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw invalid(field, v, 'must be a positive integer');
  return n;
}

/**
 * Creates the three streams and the workers' durable consumer when they are missing; existing ones are
 * left as they are (several searches and workers call this concurrently, and adding an identical
 * configuration is idempotent on the server).
 */
export async function ensureQueue(
  jsm: JetStreamManager,
  names: QueueNames,
  s: QueueSettings = {},
): Promise<void> {
  const ackWaitMs = positive('ackWaitMs', s.ackWaitMs, 30_000);
  const maxDeliver = positive('maxDeliver', s.maxDeliver, 5);
  const retentionMs = positive('retentionMs', s.retentionMs, 7 * DAY);
  const streams = [
    {
      name: names.jobsStream,
      subjects: [`${names.prefix}.jobs.>`],
      retention: RetentionPolicy.Workqueue,
    },
    {
      name: names.resultsStream,
      subjects: [`${names.prefix}.results.>`],
      retention: RetentionPolicy.Limits,
      max_age: nanos(retentionMs),
    },
    {
      name: names.barsStream,
      subjects: [`${names.prefix}.bars.>`],
      retention: RetentionPolicy.Limits,
      max_age: nanos(retentionMs),
      max_msgs_per_subject: 1,
    },
  ];
  for (const cfg of streams)
    await createIfMissing(
      () => jsm.streams.info(cfg.name),
      () => jsm.streams.add({ ...cfg, storage: StorageType.File }),
    );
  await createIfMissing(
    () => jsm.consumers.info(names.jobsStream, names.consumer),
    () =>
      jsm.consumers.add(names.jobsStream, {
        durable_name: names.consumer,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ackWaitMs),
        max_deliver: maxDeliver,
        filter_subject: `${names.prefix}.jobs.>`,
      }),
  );
}

/** A creation that lost a race to another process with a different config is fine: the first one wins. */
async function createIfMissing(info: () => Promise<unknown>, create: () => Promise<unknown>): Promise<void> {
  if (await exists(info)) return;
  try {
    await create();
  } catch (e) {
    if (!(await exists(info))) throw e;
  }
}

async function exists(info: () => Promise<unknown>): Promise<boolean> {
  try {
    await info();
    return true;
  } catch (e) {
    if (e instanceof Error && /not found/i.test(e.message)) return false;
    throw e;
  }
}
