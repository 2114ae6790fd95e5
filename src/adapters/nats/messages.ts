import { z } from 'zod';
import { TickerError } from '../../model/index.js';
import type { BacktestSpec, BarWindow, Metrics, Params } from '../../research/index.js';

/** Where a job's bars are: content-addressed in the bars stream (bar-store.ts). */
export interface BarsRef {
  readonly hash: string;
}

/** One backtest to run: published on `<prefix>.jobs.<runId>` with the job id as `Nats-Msg-Id`. */
export interface JobMessage {
  readonly v: 1;
  readonly runId: string;
  /** `<runId>.<batch>.<index>`: unique per candidate of one evaluate() call. */
  readonly jobId: string;
  readonly batch: number;
  readonly index: number;
  readonly bars: BarsRef;
  readonly spec: BacktestSpec;
  readonly params: Params;
  readonly window?: BarWindow | undefined;
}

/** A worker's answer, on `<prefix>.results.<runId>` with the job id as `Nats-Msg-Id`. */
export type ResultMessage = {
  readonly jobId: string;
  readonly batch: number;
  readonly index: number;
  /** How many times JetStream had delivered the job when this result was made (1 = first try). */
  readonly delivery: number;
  readonly worker: string;
} & ({ readonly metrics: Metrics } | { readonly error: string });

/**
 * JSON that keeps every float64 exactly: NaN, ±Infinity and -0 (a Sharpe of a flat curve is NaN) travel as
 * tagged strings, and finite numbers round-trip because JSON.stringify writes the shortest exact form. The
 * search result must not depend on whether a trial crossed the network.
 */
export function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v !== 'number') return v;
      if (Number.isNaN(v)) return { $num: 'NaN' };
      if (v === Infinity) return { $num: 'Infinity' };
      if (v === -Infinity) return { $num: '-Infinity' };
      if (Object.is(v, -0)) return { $num: '-0' };
      return v;
    }),
  );
}

const TAGGED: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

export function decode(data: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data), (_k, v: unknown) => {
      if (v !== null && typeof v === 'object' && '$num' in v) {
        const n = TAGGED[String((v as { $num: unknown }).$num)];
        if (n !== undefined) return n;
      }
      return v;
    });
  } catch (e) {
    throw new TickerError('NATS_BAD_MESSAGE', `${what} is not JSON: ${(e as Error).message}`, {
      field: what,
      cause: e,
    });
  }
}

// z.number() refuses NaN and ±Infinity, which metrics legitimately hold (a Sharpe of a flat curve).
const float64 = z.custom<number>((v) => typeof v === 'number', 'expected a number');
const paramValue = z.union([float64, z.string(), z.boolean()]);
const window = z.object({ from: z.number().int(), to: z.number().int() });
const job = z.object({
  v: z.literal(1),
  runId: z.string().min(1),
  jobId: z.string().min(1),
  batch: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  bars: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  spec: z.looseObject({ strategy: z.string().min(1) }),
  params: z.record(z.string(), paramValue),
  window: window.optional(),
});
const result = z.object({
  jobId: z.string(),
  batch: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  delivery: z.number().int().positive(),
  worker: z.string(),
  metrics: z.record(z.string(), float64).optional(),
  error: z.string().optional(),
});

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.join('.');
  throw new TickerError('NATS_BAD_MESSAGE', `${what}${path ? `.${path}` : ''}: ${issue.message}`, {
    field: `${what}${path ? `.${path}` : ''}`,
    value,
  });
}

export function parseJob(data: Uint8Array): JobMessage {
  return check(job, decode(data, 'job'), 'job') as JobMessage;
}

export function parseResult(data: Uint8Array): ResultMessage {
  const r = check(result, decode(data, 'result'), 'result');
  if ((r.metrics === undefined) === (r.error === undefined))
    throw new TickerError('NATS_BAD_MESSAGE', `result ${r.jobId} must carry either metrics or error`, {
      field: 'result',
      value: r,
    });
  return r as ResultMessage;
}
