import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsTrialRunner, TrialWorker, encode, queueNames } from '../../src/adapters/nats/index.js';
import { silentLogger } from '../../src/core/index.js';
import {
  ParamSpace,
  dailyRandomWalk,
  gridSearch,
  localRunner,
  walkForward,
} from '../../src/research/index.js';
import { requireService } from '../support/services.js';

const ROOT = resolve(import.meta.dirname, '../..');
const URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
// Unique streams and consumer per test run, deleted afterwards.
const PREFIX = `tmltest_${process.pid}_${Date.now().toString(36)}`;
const PREFIX2 = `${PREFIX}_b`;
const run = await requireService('nats');

const bars = dailyRandomWalk(100_000, { seed: 11 });
const spec = { strategy: 'sma-cross', config: { commission: 0.001 } };
const space = new ParamSpace({
  strategy: 'sma-cross',
  dimensions: {
    fast: { kind: 'int', min: 5, max: 30, step: 5 },
    slow: { kind: 'int', min: 20, max: 95, step: 15 },
  },
});

interface Worker {
  child: ChildProcess;
  out: string;
  started: number;
}
const workers: Worker[] = [];
let runner: NatsTrialRunner | undefined;
const cleanup: (() => Promise<unknown>)[] = [];

/** `tickerml worker` in a child process, through tsx so the test needs no build (CI builds dist/ too). */
function startWorker(): Promise<Worker> {
  const args = ['worker', '--nats', URL, '--prefix', PREFIX, '--concurrency', '1'];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "import { main } from './src/cli/main.ts'; process.exitCode = await main(['node', 'tickerml', ...JSON.parse(process.env.WORKER_ARGS)]);",
    ],
    {
      cwd: ROOT,
      env: { ...process.env, WORKER_ARGS: JSON.stringify(args), LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const w: Worker = { child, out: '', started: 0 };
  workers.push(w);
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`worker did not start:\n${w.out}`)), 30_000);
    const onData = (d: Buffer) => {
      const s = d.toString();
      w.out += s;
      w.started += s.split('"job started"').length - 1;
      if (w.out.includes('"worker ready"')) {
        clearTimeout(timer);
        res(w);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`worker exited with ${code}:\n${w.out}`)));
  });
}

function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    const tick = () => {
      if (cond()) return res();
      if (Date.now() - t0 > ms) return rej(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

afterAll(async () => {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await runner?.close();
  for (const c of cleanup) await c().catch(() => undefined);
  if (!run) return;
  const nc = await connect({ servers: URL });
  const jsm = await jetstreamManager(nc);
  for (const p of [PREFIX, PREFIX2]) {
    const n = queueNames(p);
    for (const s of [n.jobsStream, n.resultsStream, n.barsStream]) {
      const deleted = await jsm.streams.delete(s).catch(() => false);
      if (!deleted) console.warn(`could not delete stream ${s}`);
    }
  }
  await nc.close();
});

describe.runIf(run)('distributed search on NATS JetStream workers', () => {
  it('gives the in-process result with one of two workers killed mid-run: no job lost or counted twice', async () => {
    const t0 = performance.now();
    const local = await gridSearch({ space, runner: localRunner(bars, spec) });
    const tLocal = performance.now() - t0;

    // The runner creates the queue (ack_wait 2 s so the killed worker's job comes back quickly).
    runner = await NatsTrialRunner.start({ bars, spec, url: URL, prefix: PREFIX, ackWaitMs: 2000 });
    const [victim, survivor] = await Promise.all([startWorker(), startWorker()]);

    const t1 = performance.now();
    const search = gridSearch({ space, runner });
    // Kill the victim right after it has taken its second job (the first one also starts its backtest
    // thread): that job is mid-backtest and never acked.
    await until(() => victim!.started >= 2, 'the victim to start 2 jobs');
    victim!.child.kill('SIGKILL');
    const distributed = await search;
    const tNats = performance.now() - t1;

    expect(distributed.evaluations).toBe(local.evaluations);
    expect(distributed.trials).toEqual(local.trials);
    expect(distributed.best).toEqual(local.best);
    const s = runner.stats;
    expect(s.jobs).toBe(local.evaluations);
    expect(s.results).toBe(local.evaluations); // each job counted exactly once
    expect(s.redelivered).toBeGreaterThanOrEqual(1); // the victim's unacked job ran again elsewhere
    expect(Object.keys(s.byWorker)).toHaveLength(2);
    // Every job was acked: the work-queue stream holds nothing.
    const nc = await connect({ servers: URL });
    const info = await (await jetstreamManager(nc)).streams.info(queueNames(PREFIX).jobsStream);
    await nc.close();
    expect(info.state.messages).toBe(0);
    console.log(
      `NATS workers: ${local.evaluations} backtests of ${bars.length} bars; in-process ${tLocal.toFixed(0)} ms, ` +
        `2 workers with one killed ${tNats.toFixed(0)} ms; stats ${JSON.stringify(s)}`,
    );

    // SIGTERM: the survivor stops cleanly.
    const exited = new Promise<number | null>((r) => survivor!.child.once('exit', (code) => r(code)));
    survivor!.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(survivor!.out).toContain('"worker stopped"');
  }, 60_000);
});

describe.runIf(run)('NatsTrialRunner', () => {
  const small = dailyRandomWalk(1500, { seed: 12 });

  it('counts a job once when two results for it arrive, and ignores late duplicates', async () => {
    const r = await NatsTrialRunner.start({
      bars: small,
      spec,
      url: URL,
      prefix: PREFIX2,
      idleTimeoutMs: 60_000,
    });
    cleanup.push(() => r.close());
    const nc = await connect({ servers: URL });
    cleanup.push(() => nc.close());
    const { jetstream } = await import('@nats-io/jetstream');
    const js = jetstream(nc);
    const subject = r.names.resultsSubject(r.runId);
    // Play two workers by hand: job 0 answered twice (a redelivery), then job 1.
    const answer = (index: number, sharpe: number, worker: string, delivery: number) =>
      js.publish(
        subject,
        encode({ jobId: `${r.runId}.0.${index}`, batch: 0, index, delivery, worker, metrics: { sharpe } }),
      );
    const pending = r.evaluate([
      { fast: 5, slow: 20 },
      { fast: 10, slow: 40 },
    ]);
    await answer(0, 1.5, 'a', 1);
    await answer(0, 1.5, 'b', 2);
    await answer(1, NaN, 'b', 1);
    expect(await pending).toEqual([{ sharpe: 1.5 }, { sharpe: NaN }]);
    await answer(1, 9, 'c', 3); // late: the batch is complete
    await until(() => r.stats.duplicates === 2, 'the late duplicate to be read', 5000);
    expect(r.stats).toMatchObject({ jobs: 2, results: 2, duplicates: 2, byWorker: { a: 1, b: 1 } });
    await r.close(); // purges this run's unanswered jobs and its results
  });

  it('refuses a window outside the bars, and says so when no worker consumes the queue', async () => {
    const r = await NatsTrialRunner.start({
      bars: small,
      spec,
      url: URL,
      prefix: PREFIX2,
      idleTimeoutMs: 1000,
    });
    cleanup.push(() => r.close());
    await expect(r.evaluate([{ fast: 5, slow: 20 }], { from: 0, to: 2000 })).rejects.toThrow(
      /window: must be integer bar indices with 0 <= from < to <= 1500/,
    );
    await expect(r.evaluate([{ fast: 5, slow: 20 }])).rejects.toThrow(
      new RegExp(`no tickerml worker answered.*tickerml worker --nats ${URL} --prefix ${PREFIX2}`),
    );
    await r.close();
  });

  it('runs a walk-forward on an in-process worker exactly as locally, and reports a failing backtest', async () => {
    const r = await NatsTrialRunner.start({ bars: small, spec, url: URL, prefix: PREFIX2 });
    cleanup.push(() => r.close());
    const w = await TrialWorker.start({ url: URL, prefix: PREFIX2, concurrency: 2, logger: silentLogger });
    cleanup.push(() => w.stop());
    const wf = {
      bars: small,
      spec,
      space,
      method: { kind: 'grid' } as const,
      inSampleBars: 500,
      outOfSampleBars: 250,
    };
    const local = await walkForward(wf);
    const remote = await walkForward({ ...wf, runner: r });
    expect(remote).toEqual(local);
    await expect(r.evaluate([{ fast: 0, slow: 20 }])).rejects.toThrow(
      /backtest of \{"fast":0,"slow":20\} failed on worker .*: TickerError: strategy sma-cross: param fast = 0/,
    );
    await w.stop();
    expect(w.jobsDone).toBeGreaterThan(0);
  }, 30_000);

  it('keeps a backtest longer than ack_wait from being redelivered (working() heartbeats)', async () => {
    const PREFIX3 = `${PREFIX2}_hb`;
    const big = dailyRandomWalk(500_000, { seed: 13 });
    const r = await NatsTrialRunner.start({ bars: big, spec, url: URL, prefix: PREFIX3, ackWaitMs: 200 });
    cleanup.push(async () => {
      await r.close();
      const nc = await connect({ servers: URL });
      const jsm = await jetstreamManager(nc);
      const n = queueNames(PREFIX3);
      for (const s of [n.jobsStream, n.resultsStream, n.barsStream]) await jsm.streams.delete(s);
      await nc.close();
    });
    const w = await TrialWorker.start({ url: URL, prefix: PREFIX3, concurrency: 1, logger: silentLogger });
    cleanup.push(() => w.stop());
    const t0 = performance.now();
    const ms = await r.evaluate([
      { fast: 5, slow: 20 },
      { fast: 10, slow: 40 },
      { fast: 20, slow: 80 },
    ]);
    const perJob = (performance.now() - t0) / 3;
    await w.stop();
    expect(perJob).toBeGreaterThan(200); // each job outlived ack_wait …
    expect(ms).toEqual(
      await localRunner(big, spec).evaluate([
        { fast: 5, slow: 20 },
        { fast: 10, slow: 40 },
        { fast: 20, slow: 80 },
      ]),
    );
    expect(r.stats).toMatchObject({ results: 3, duplicates: 0, redelivered: 0 }); // … and was not redelivered
    console.log(`heartbeat test: ${perJob.toFixed(0)} ms per job with ack_wait 200 ms`);
  }, 30_000);
});
