import { describe, expect, it } from 'vitest';
import { dailyRandomWalk } from '../../research/index.js';
import { connectNats } from './connection.js';
import { runnerFromEnv } from './index.js';
import { decode, encode, parseJob, parseResult } from './messages.js';
import { queueNames } from './names.js';

const job = {
  v: 1,
  runId: 'r1',
  jobId: 'r1.0.3',
  batch: 0,
  index: 3,
  bars: { hash: 'a'.repeat(64) },
  spec: { strategy: 'sma-cross', config: { commission: 0.001 } },
  params: { fast: 5, slow: 20, mode: 'long', flag: true },
  window: { from: 10, to: 500 },
};

describe('NATS messages', () => {
  it('round-trips every float64 exactly, including NaN, ±Infinity and -0', () => {
    const m = {
      a: NaN,
      b: Infinity,
      c: -Infinity,
      d: -0,
      e: 0.1 + 0.2,
      f: 5e-324,
      g: -1.7976931348623157e308,
    };
    const back = decode(encode(m), 'x') as typeof m;
    expect(back).toEqual(m);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(back.e).toBe(0.30000000000000004);
  });

  it('parses a job and refuses a malformed one naming the field', () => {
    expect(parseJob(encode(job))).toEqual(job);
    expect(() => parseJob(encode({ ...job, index: -1 }))).toThrow(/job\.index/);
    expect(() => parseJob(encode({ ...job, bars: { hash: 'nope' } }))).toThrow(/job\.bars\.hash/);
    expect(() => parseJob(encode({ ...job, params: { fast: [1] } }))).toThrow(/job\.params\.fast/);
    expect(() => parseJob(new TextEncoder().encode('{oops'))).toThrow(/job is not JSON/);
  });

  it('parses results with metrics or an error, not both or neither', () => {
    const base = { jobId: 'r1.0.3', batch: 0, index: 3, delivery: 2, worker: 'w' };
    expect(parseResult(encode({ ...base, metrics: { sharpe: NaN, cagr: -Infinity } })).delivery).toBe(2);
    expect(parseResult(encode({ ...base, error: 'boom' }))).toMatchObject({ error: 'boom' });
    expect(() => parseResult(encode(base))).toThrow(/either metrics or error/);
    expect(() => parseResult(encode({ ...base, delivery: 0, error: 'x' }))).toThrow(/result\.delivery/);
  });

  it('refuses a queue prefix that is not a plain token', () => {
    expect(queueNames('team-a_1').jobsStream).toBe('team-a_1_jobs');
    expect(() => queueNames('a.b')).toThrow(/prefix: must be 1-64 letters.*"a\.b"/);
  });
});

describe('NATS connection', () => {
  it('says which URL is unreachable and how to fix it', async () => {
    const err = await connectNats('nats://127.0.0.1:1', 'test').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NATS_UNREACHABLE', field: 'NATS_URL', value: 'nats://127.0.0.1:1' });
    expect((err as Error).message).toMatch(
      /cannot connect to NATS at nats:\/\/127\.0\.0\.1:1 .*nats-server -js/,
    );
  });

  it('runnerFromEnv keeps the local runner when NATS_URL is unset', async () => {
    const bars = dailyRandomWalk(50, { seed: 1 });
    expect(await runnerFromEnv(bars, { strategy: 'sma-cross' }, {})).toBeUndefined();
    await expect(
      runnerFromEnv(bars, { strategy: 'sma-cross' }, { NATS_URL: 'nats://127.0.0.1:1' }),
    ).rejects.toThrow(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});
