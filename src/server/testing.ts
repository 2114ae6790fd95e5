import { SimulatedClock } from '../core/index.js';
import { TradingNode } from '../engine/trading-node.js';
import type { TradingNodeConfigInput } from '../engine/trading-node-config.js';
import { type BarFeed, type FeedBar, MemoryStateStore } from '../engine/trading-node-ports.js';
import { type AppDeps, buildApp } from './app.js';
import { AuthService, type Role } from './auth.js';
import { BacktestJobs } from './backtests.js';
import { LogBuffer } from './log-buffer.js';

/** A feed driven by hand (tests). */
export class ManualFeed implements BarFeed {
  readonly kind = 'replay' as const;
  readonly description = 'manual test bars (replay)';
  readonly finished = false;
  private sink: ((b: FeedBar) => void) | undefined = undefined;
  private n = 0;
  start(sink: (b: FeedBar) => void): void {
    this.sink = sink;
  }
  stop(): void {
    this.sink = undefined;
  }
  push(instrumentId: string, close: number): void {
    const i = this.n++;
    this.sink?.({
      instrumentId,
      sourceTs: i * 86_400_000_000,
      sourceIndex: i,
      open: close,
      high: close * 1.01,
      low: close * 0.99,
      close,
      volume: 1000,
    });
  }
}

export const TEST_NODE_CONFIG: TradingNodeConfigInput = {
  account: { cash: 100_000 },
  instruments: [{ id: 'GOOG', tickSize: 0.01, lotSize: 1 }],
  strategies: [{ id: 'sma-goog', name: 'sma-cross', params: { fast: 3, slow: 8, fraction: 0.2 } }],
  risk: { stopLoss: null, takeProfit: null },
};

export const PASSWORDS: Record<Role, string> = {
  admin: 'admin-password-1',
  trader: 'trader-password-1',
  viewer: 'viewer-password-1',
};

/** A node on a manual feed, an in-memory auth with one user per role, and the app (not listening). */
export async function testApp(over: Partial<AppDeps> = {}) {
  const clock = new SimulatedClock(1_700_000_000_000_000);
  const feed = new ManualFeed();
  const store = new MemoryStateStore();
  const logs = new LogBuffer();
  const node = new TradingNode(TEST_NODE_CONFIG, { clock, feed, store, logger: logs });
  await node.start();
  for (let i = 0; i < 30; i++) {
    clock.advanceTo(clock.now() + 60_000_000);
    feed.push('GOOG', 100 + 5 * Math.sin(i / 3));
  }
  const { auth } = await AuthService.open({ adminPassword: PASSWORDS.admin });
  await auth.createUser('trader', PASSWORDS.trader, 'trader');
  await auth.createUser('viewer', PASSWORDS.viewer, 'viewer');
  const backtests = new BacktestJobs(
    new Map([['GOOG', { file: 'examples/data/GOOG.csv', lotSize: 1, tickSize: 0.01, quote: 'USD' }]]),
  );
  const app = await buildApp({
    node,
    auth,
    backtests,
    logs,
    config: { server: { port: 8080 }, exchange: { apiKey: 'SECRET-KEY', apiSecret: 'SECRET' } },
    loginRateLimit: { max: 5, windowSec: 60 },
    ...over,
  });
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'trader', 'viewer'] as Role[]) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: role, password: PASSWORDS[role] },
    });
    tokens[role] = r.json().accessToken;
  }
  return { app, node, feed, clock, store, auth, tokens, backtests };
}
