/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the API under test */
/**
 * The restart scenario shared by the journal (src/cli/run.restart.test.ts) and the store
 * (test/integration/node-restart-store.test.ts) tests: `tickerml run` in a child process trades a replay,
 * is SIGKILLed, restarts, and every acknowledged order, fill and position must be back with the ledger
 * reconciled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PASSWORD = 'restart-test-pw';
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Kills the nodes still running and removes the config directories (call from afterAll). */
export function cleanUpRestartNodes(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A node config trading GOOG daily bars on a fast replay; `storage` adds a `storage:` line. */
export function writeNodeConfig(storage?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-restart-'));
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
${storage === undefined ? '' : `storage: ${storage}\n`}server: { host: 127.0.0.1, port: 0 }
dataDir: ${join(dir, 'data')}
`,
  );
  return cfg;
}

export interface RestartRun {
  readonly cfg: string;
  /** Extra `tickerml run` arguments, e.g. ['--state', 'store']. */
  readonly args?: readonly string[];
  /** Environment of both runs; DATABASE_URL is removed unless given here. */
  readonly env?: Record<string, string>;
  /** How long a start may take before the test fails. */
  readonly startTimeoutMs: number;
  /** A line the first run must print (e.g. which state store it uses). */
  readonly stateLine?: RegExp;
}

/** `tickerml run` in a child process (through tsx, so no build is needed); resolves with its base URL. */
function startNode(
  run: RestartRun,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string; out: () => string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CFG: run.cfg,
    ARGS: JSON.stringify(run.args ?? []),
    TICKERML_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    ...run.env,
    ...extraEnv,
  };
  if (!run.env?.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "import { main } from './src/cli/main.ts'; process.exitCode = await main(['node', 'tickerml', 'run', ...JSON.parse(process.env.ARGS), '--config', process.env.CFG]);",
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`node did not start:\n${out}`)), run.startTimeoutMs);
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
      body: { username: 'admin', password: PASSWORD },
    })
  ).body.accessToken as string;

/** Runs the node, lets it trade, places a resting order, SIGKILLs it, restarts it and compares. */
export async function killRestartAndCompare(run: RestartRun): Promise<void> {
  const a = await startNode(run);
  if (run.stateLine) expect(a.out()).toMatch(run.stateLine);
  const tokA = await login(a.base);
  // let the strategy trade
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
  const barsA = (await api(a.base, '/api/v1/system/status', tokA)).body.counters.bars;
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));

  // the second run paces the replay at one bar a minute, so nothing moves while we compare
  const b = await startNode(run, { TICKERML_REPLAY_INTERVAL_MS: '60000' });
  const tokB = await login(b.base);
  const status = (await api(b.base, '/api/v1/system/status', tokB)).body;
  expect(status.recovered.fills).toBeGreaterThanOrEqual(fillsA.length);
  const fillsB: any[] = (await api(b.base, '/api/v1/fills?limit=10000', tokB)).body;
  const ordersB: any[] = (await api(b.base, '/api/v1/orders?limit=10000', tokB)).body;
  const pf = (await api(b.base, '/api/v1/portfolio', tokB)).body;
  b.child.kill('SIGKILL');
  await new Promise((r) => b.child.once('exit', r));

  // every fill acknowledged before the kill is there, unchanged
  const byId = new Map(fillsB.map((f) => [f.id, f]));
  for (const f of fillsA) expect(byId.get(f.id)).toEqual(f);
  // every acknowledged order is there with the same terms; resting ones are closed as documented
  const ordersById = new Map(ordersB.map((o) => [o.id, o]));
  // A market order sized as a share of equity carries a provisional quantity until it fills; one that was
  // still waiting for its bar when we read it and filled before the kill comes back at its filled size.
  const terms = (o: any, resized: boolean) => ({
    ...o,
    status: 0,
    reason: 0,
    updatedAt: 0,
    filledQuantity: 0,
    averageFillPrice: 0,
    ...(resized ? { quantity: 0 } : {}),
  });
  for (const o of ordersA) {
    const r = ordersById.get(o.id);
    expect(r, o.id).toBeDefined();
    const resized = o.type === 'market' && o.filledQuantity === 0 && r.filledQuantity > 0;
    expect(terms(r, resized)).toEqual(terms(o, resized));
    if (resized) expect(r.filledQuantity).toBe(r.quantity);
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
  expect(barsA).toBeGreaterThan(0);
}
