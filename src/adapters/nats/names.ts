import { invalid } from '../../model/index.js';

/**
 * Where one deployment's distributed research lives on a NATS server. Every name derives from one prefix,
 * so several teams (or test runs) share a server without seeing each other's jobs.
 */
export interface QueueNames {
  readonly prefix: string;
  /** Work-queue stream of jobs: `<prefix>.jobs.<runId>`; a job is removed once a worker acks it. */
  readonly jobsStream: string;
  /** Limits stream of results: `<prefix>.results.<runId>`; read back by the search that published the jobs. */
  readonly resultsStream: string;
  /** Content-addressed bars: `<prefix>.bars.<sha256>.meta` and `.<chunk>`, one message per subject. */
  readonly barsStream: string;
  /** The durable pull consumer every `tickerml worker` of this prefix shares. */
  readonly consumer: string;
  jobsSubject(runId: string): string;
  resultsSubject(runId: string): string;
  barsSubject(hash: string, part: 'meta' | number): string;
}

export const DEFAULT_PREFIX = 'tickerml';

/** Stream and consumer names may not contain `.`, `*`, `>` or spaces; a prefix is a plain token. */
export function queueNames(prefix: string = DEFAULT_PREFIX): QueueNames {
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(prefix))
    throw invalid('prefix', prefix, 'must be 1-64 letters, digits, "_" or "-"');
  return {
    prefix,
    jobsStream: `${prefix}_jobs`,
    resultsStream: `${prefix}_results`,
    barsStream: `${prefix}_bars`,
    consumer: `${prefix}_workers`,
    jobsSubject: (runId) => `${prefix}.jobs.${runId}`,
    resultsSubject: (runId) => `${prefix}.results.${runId}`,
    barsSubject: (hash, part) => `${prefix}.bars.${hash}.${part}`,
  };
}
