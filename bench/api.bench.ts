import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalStateStore } from '../src/adapters/system/journal-store.js';
import { ReplayFeed } from '../src/adapters/system/replay-feed.js';
import { WallClock } from '../src/adapters/system/wall-clock.js';
import { TradingNode } from '../src/engine/trading-node.js';
import { buildApp } from '../src/server/app.js';
import { AuthService } from '../src/server/auth.js';
import { BacktestJobs } from '../src/server/backtests.js';
import { LogBuffer } from '../src/server/log-buffer.js';
import { type Figure, runAsChild } from './harness.js';

interface LoadResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function runLoad(
  base: string,
  token: string,
  rate: number,
  seconds: number,
  paths: string[],
): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./api-load.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, base, token, String(rate), String(seconds), ...paths],
      { maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`api load generator failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as LoadResult);
      },
    );
  });
}

/**
 * The paper node trading four instruments (replay at one bar per instrument every 50 ms, fsync'd journal)
 * with the API on loopback; then authenticated reads at a constant 500 requests/s for 10 s from an open-loop
 * client in a separate process (bench/api-load.ts: keep-alive connections, each latency timed from the
 * request's scheduled send time, so coordinated omission is corrected).
 */
async function main(): Promise<Figure[]> {
  const root = process.cwd(); // npm run bench runs in the checkout
  const dir = mkdtempSync(join(tmpdir(), 'tickerml-api-bench-'));
  const files = {
    GOOG: 'examples/data/GOOG.csv',
    EURUSD: 'test/fixtures/backtesting_py/EURUSD.csv',
    BTCUSD: 'test/fixtures/backtesting_py/BTCUSD.csv',
    'BTC-PERP': 'test/fixtures/nautilus/btc-perp-20211231-20220201_1m.csv',
  };
  const ids = Object.keys(files) as (keyof typeof files)[];
  const feed = new ReplayFeed({
    sources: ids.map((id) => ({ instrumentId: id, file: join(root, files[id]) })),
    intervalMs: 50,
    loop: true,
  });
  const store = new JournalStateStore(join(dir, 'node.journal'));
  const clock = new WallClock();
  const logs = new LogBuffer();
  const node = new TradingNode(
    {
      account: { cash: 1_000_000 },
      commission: { rate: 0.001 },
      instruments: ids.map((id) => ({ id, tickSize: 0.00001, lotSize: id === 'GOOG' ? 1 : 0.001 })),
      strategies: ids.map((id) => ({
        id: `sma-${id}`,
        name: 'sma-cross',
        params: { fast: 5, slow: 20, fraction: 0.1 },
        instruments: [id],
      })),
    },
    { clock, feed, store, logger: logs },
  );
  await node.start();
  const { auth } = await AuthService.open({ adminPassword: 'bench-password' });
  const app = await buildApp({ node, auth, backtests: new BacktestJobs(new Map()), logs, config: {} });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'bench-password' }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  await new Promise((r) => setTimeout(r, 3000));
  const rssTrading = process.memoryUsage().rss / 2 ** 20;

  const paths = [
    '/api/v1/portfolio',
    '/api/v1/orders?limit=100',
    '/api/v1/positions',
    '/api/v1/market/candles?instrumentId=GOOG&limit=100',
  ];
  const rate = 500;
  const seconds = 10;
  // The load generator runs in its own process, as wrk would, so the figures are the server's.
  const load = await runLoad(base, token, rate, seconds, paths);
  const achieved = load.requests.total / seconds;
  const errors = load.non2xx + load.errors + load.timeouts;
  const bars = node.counters.bars;
  await app.close();
  await node.stop();
  await store.close();
  clock.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    { name: 'api.p50_ms', value: load.latency.p50, unit: 'ms' },
    {
      name: 'api.p99_ms',
      value: load.latency.p99,
      unit: `ms (authenticated reads at ${rate}/s offered, ${achieved.toFixed(0)}/s done)`,
    },
    { name: 'api.errors', value: errors, unit: 'requests' },
    { name: 'node.rss_mb', value: rssTrading, unit: 'MB (paper trading 4 instruments, before the load)' },
    { name: 'node.bars', value: bars, unit: 'bars processed during the bench' },
  ];
}

await runAsChild(main);
