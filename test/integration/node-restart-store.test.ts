/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the API under test */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresClient } from '../../src/storage/index.js';
import { requireService } from '../support/services.js';

// `tickerml run --state store`, SIGKILLed mid-replay and restarted: every acknowledged order, fill and
// position is back and the ledger reconciles (the store-backed twin of src/cli/run.restart.test.ts),
// on the node's embedded PGlite database and on the PostgreSQL server.
const ROOT = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function writeConfig(storage: string): { dir: string; cfg: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-restart-store-'));
  dirs.push(dir);
  const cfg = join(dir, 'node.yaml');
  writeFileSync(
    cfg,
    `node:
  account: { cash: 100000 }
  commission: { rate: 0.001 }
  instruments:
    - { id: GOOG, tickSize: 0.01, lotSize: 1, file: ${join(ROOT, 'examples/data/GOOG.csv')} }
  strategies:
    - { id: fast-sma, name: sma-cross, params: { fast: 2, slow: 5, fraction: 0.2 }, instruments: [GOOG] }
  risk: { stopLoss: null, takeProfit: null }
feed: { kind: replay, intervalMs: 15, loop: false }
storage: ${storage}
server: { host: 127.0.0.1, port: 0 }
dataDir: ${join(dir, 'data')}
`,
  );
  return { dir, cfg };
}

/** `tickerml run --state store` in a child process (through tsx); resolves with its base URL. */
function startNode(
  cfg: string,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string; out: () => string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CFG: cfg,
    TICKERML_ADMIN_PASSWORD: 'restart-test-pw',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL; // PGlite unless the test names a server
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "import { main } from './src/cli/main.ts'; process.exitCode = await main(['node', 'tickerml', 'run', '--state', 'store', '--config', process.env.CFG]);",
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`node did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /API:\s+(http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, base: m[1]!, out: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => rej(new Error(`node exited with ${code}:\n${out}`)));
  });
}

async function api(
  base: string,
  path: string,
  token?: string,
  init: { method?: string; body?: unknown } = {},
) {
  const r = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as any };
}

const login = async (base: string) =>
  (
    await api(base, '/api/v1/auth/login', undefined, {
      method: 'POST',
      body: { username: 'admin', password: 'restart-test-pw' },
    })
  ).body.accessToken as string;

async function killRestartAndCompare(cfg: string, env: Record<string, string>, stateLine: RegExp) {
  const a = await startNode(cfg, env);
  expect(a.out()).toMatch(stateLine);
  const tokA = await login(a.base);
  let fillsA: any[] = [];
  for (let i = 0; i < 400 && fillsA.length < 6; i++) {
    await new Promise((r) => setTimeout(r, 50));
    fillsA = (await api(a.base, '/api/v1/fills', tokA)).body;
  }
  expect(fillsA.length).toBeGreaterThanOrEqual(6);
  // an acknowledged manual order resting far from the market
  const placed = await api(a.base, '/api/v1/orders', tokA, {
    method: 'POST',
    body: { instrumentId: 'GOOG', side: 'buy', type: 'limit', price: 1, quantity: 10 },
  });
  expect(placed.status).toBe(201);
  const ordersA: any[] = (await api(a.base, '/api/v1/orders?limit=10000', tokA)).body;
  fillsA = (await api(a.base, '/api/v1/fills?limit=10000', tokA)).body;
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));

  // the second run paces the replay at one bar a minute, so nothing moves while we compare
  const b = await startNode(cfg, { ...env, TICKERML_REPLAY_INTERVAL_MS: '60000' });
  const tokB = await login(b.base);
  const status = (await api(b.base, '/api/v1/system/status', tokB)).body;
  expect(status.recovered.fills).toBeGreaterThanOrEqual(fillsA.length);
  const fillsB: any[] = (await api(b.base, '/api/v1/fills?limit=10000', tokB)).body;
  const ordersB: any[] = (await api(b.base, '/api/v1/orders?limit=10000', tokB)).body;
  const pf = (await api(b.base, '/api/v1/portfolio', tokB)).body;
  b.child.kill('SIGKILL');
  await new Promise((r) => b.child.once('exit', r));

  // every fill acknowledged before the kill is there, unchanged, in the same order
  const byId = new Map(fillsB.map((f) => [f.id, f]));
  for (const f of fillsA) expect(byId.get(f.id)).toEqual(f);
  // every acknowledged order is there with the same terms; resting ones are closed as documented
  const ordersById = new Map(ordersB.map((o) => [o.id, o]));
  const terms = (o: any) => ({
    ...o,
    status: 0,
    reason: 0,
    updatedAt: 0,
    filledQuantity: 0,
    averageFillPrice: 0,
  });
  for (const o of ordersA) {
    const r = ordersById.get(o.id);
    expect(r, o.id).toBeDefined();
    expect(terms(r)).toEqual(terms(o));
    expect(r.filledQuantity).toBeGreaterThanOrEqual(o.filledQuantity);
  }
  expect(ordersById.get(placed.body.id)).toMatchObject({
    status: 'canceled',
    reason: expect.stringMatching(/restarted/),
  });
  // positions and cash follow from the recovered fills (the ledger reconciles)
  let qty = 0;
  let cash = 100_000;
  for (const f of fillsB) {
    const s = f.side === 'buy' ? 1 : -1;
    qty += s * f.quantity;
    cash -= s * f.quantity * f.price + f.fee;
  }
  const goog = pf.positions.find((p: any) => p.instrumentId === 'GOOG');
  expect(goog.quantity).toBe(qty);
  expect(pf.cash).toBeCloseTo(cash, 6);
}

describe('tickerml run --state store: restart after SIGKILL mid-replay', () => {
  it('PGlite under the data dir: every acknowledged order, fill and position intact, ledger reconciled', async () => {
    const { cfg } = writeConfig('{ kind: journal }'); // --state store overrides the file
    await killRestartAndCompare(cfg, {}, /state:\s+store PGlite .*node-pglite/);
  }, 180_000);
});

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgRun = await requireService('postgres');
describe.runIf(pgRun)('tickerml run --state store on PostgreSQL: restart after SIGKILL mid-replay', () => {
  const schema = `tickerml_test_restart_${process.pid}_${randomBytes(3).toString('hex')}`;
  afterAll(async () => {
    const c = await openPostgresClient({ url: pgUrl, schema });
    await c.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.close();
  });
  it('every acknowledged order, fill and position intact, ledger reconciled', async () => {
    const { cfg } = writeConfig(`{ kind: store, schema: ${schema}, account: 'paper:restart' }`);
    await killRestartAndCompare(
      cfg,
      { DATABASE_URL: pgUrl },
      /state:\s+store PostgreSQL .*schema tickerml_test_restart_/,
    );
  }, 180_000);
});
