import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { mdNames } from '../../src/adapters/nats/index.js';
import { main } from '../../src/cli/main.js';
import { type SqlClient, openStore } from '../../src/storage/index.js';
import { type BinanceReplay, startBinanceReplay } from '../support/binance-replay.js';
import { requireService } from '../support/services.js';

const ROOT = resolve(import.meta.dirname, '../..');
const URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const PREFIX = `tmlcli_${process.pid}_${Date.now().toString(36)}`;
const names = mdNames(PREFIX);
const run = await requireService('nats');
const dir = mkdtempSync(join(tmpdir(), 'tickerml-collect-cli-'));

async function counts(store: SqlClient) {
  const n = async (t: string) =>
    Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n);
  return {
    book: (await n('book_deltas')) + (await n('book_snapshots')),
    trade: await n('trades'),
    funding: await n('funding_rates'),
  };
}

describe.runIf(run)('tickerml collect → JetStream → tickerml ingest (the commands)', () => {
  let replay: BinanceReplay | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await replay?.close();
    const nc = await connect({ servers: URL });
    const jsm = await jetstreamManager(nc);
    for (const k of ['book', 'trade', 'funding'] as const)
      await jsm.streams.delete(names.stream(k)).catch(() => undefined);
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collect writes store, JSONL and JetStream and stops cleanly on SIGINT; ingest copies the streams into a store', async () => {
    replay = await startBinanceReplay();
    const cfg = join(dir, 'collect.yaml');
    writeFileSync(
      cfg,
      [
        'venue: binance-usdm',
        'symbols: [BTCUSDT]',
        'sinks: { store: true, jsonl: ' + JSON.stringify(join(dir, 'jsonl')) + ', jetstream: true }',
        `dataDir: ${JSON.stringify(join(dir, 'collector'))}`,
        'batch: { size: 500, flushMs: 100 }',
        `jetstream: { prefix: ${PREFIX} }`,
        `endpoints: { ws: "ws://${replay.base}", rest: "http://${replay.base}" }`,
      ].join('\n'),
    );
    // The real command in a child process (through tsx, no build needed), stopped by a real SIGINT.
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "import { main } from './src/cli/main.ts'; process.exitCode = await main(['node', 'tickerml', ...JSON.parse(process.env.ARGS)]);",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NATS_URL: URL, ARGS: JSON.stringify(['collect', '--config', cfg]) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

    const nc = await connect({ servers: URL });
    const jsm = await jetstreamManager(nc);
    const streamCounts = async () => {
      const o: Record<string, number> = {};
      for (const k of ['book', 'trade', 'funding'] as const)
        o[k] = await jsm.streams.info(names.stream(k)).then(
          (i) => i.state.messages,
          () => 0,
        );
      return o;
    };
    // The recording ends with the mark-price message: once it is in, everything before it is too.
    const end = Date.now() + 90_000;
    while ((await streamCounts()).funding < 1) {
      if (Date.now() > end) throw new Error(`collect did not publish the recording:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('"reason":"SIGINT"');
    const published = await streamCounts();
    expect(published.trade).toBe(3024);
    expect(published.book).toBeGreaterThan(1000);

    const collected = await openStore({ dataDir: join(dir, 'collector', 'pglite') });
    expect(await counts(collected)).toEqual(published);
    await collected.close();
    const lines = (f: string) =>
      readFileSync(join(dir, 'jsonl', f), 'utf8')
        .split('\n')
        .filter((l) => l !== '').length;
    expect({
      book: lines('book.jsonl'),
      trade: lines('trades.jsonl'),
      funding: lines('funding.jsonl'),
    }).toEqual(published);

    // ingest, in this process, into another store; --duration ends it (SIGINT takes the same path).
    const code = await main([
      'node',
      'tickerml',
      'ingest',
      '--nats',
      URL,
      '--prefix',
      PREFIX,
      '--data-dir',
      join(dir, 'ingest'),
      '--duration',
      '6',
    ]);
    expect(code).toBe(0);
    const ingested = await openStore({ dataDir: join(dir, 'ingest', 'pglite') });
    expect(await counts(ingested)).toEqual(published);
    await ingested.close();
    for (const k of ['book', 'trade', 'funding'] as const) {
      const i = await jsm.consumers.info(names.stream(k), 'tickerml_store');
      expect([i.num_pending, i.num_ack_pending]).toEqual([0, 0]);
    }
    await nc.close();
  }, 150_000);
});
