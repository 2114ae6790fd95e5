import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { pino } from 'pino';
import { BinanceLiveFeed } from '../adapters/binance/index.js';
import { type AppConfig, loadAppConfig, splitList } from '../adapters/system/config.js';
import { JournalStateStore } from '../adapters/system/journal-store.js';
import { ReplayFeed } from '../adapters/system/replay-feed.js';
import { WallClock } from '../adapters/system/wall-clock.js';
import type { Logger } from '../core/index.js';
import { TradingNode } from '../engine/trading-node.js';
import { type BarFeed, MemoryStateStore, type StateStore } from '../engine/trading-node-ports.js';
import { invalid } from '../model/index.js';
import { NODE_PGLITE_DIR, StoreStateStore } from '../storage/index.js';
import { buildApp } from '../server/app.js';
import { AuthService } from '../server/auth.js';
import { BacktestJobs, type Dataset } from '../server/backtests.js';
import { LogBuffer } from '../server/log-buffer.js';

export interface RunOptions {
  config?: string;
  port?: string;
  host?: string;
  intervalMs?: string;
  dataDir?: string;
  riskConfig?: string;
  /** 'replay' or 'binance' (live public market data). */
  feed?: string;
  /** Comma-separated exchange symbols for a live feed, e.g. BTCUSDT,ETHUSDT. */
  symbols?: string;
  /** Kline interval of a live feed, e.g. 1m. */
  interval?: string;
  /** Where the node keeps its state: 'journal' (default), 'store' (PGlite/PostgreSQL) or 'memory'. */
  state?: string;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw invalid(flag, v, 'must be a number');
  return n;
}

/** Starts the node and the API; resolves once listening, with a function that shuts both down. */
export async function startTradingNode(
  o: RunOptions,
  env: NodeJS.ProcessEnv = process.env,
  print: (s: string) => void = (s) => process.stdout.write(s),
) {
  const cfg: AppConfig = loadAppConfig({
    ...(o.config ? { file: o.config } : {}),
    env,
    overrides: {
      'server.port': num('--port', o.port),
      'server.host': o.host,
      'feed.intervalMs': num('--interval-ms', o.intervalMs),
      'feed.kind': o.feed,
      'feed.symbols': o.symbols !== undefined ? splitList(o.symbols) : undefined,
      'feed.interval': o.interval,
      'storage.kind': o.state,
      dataDir: o.dataDir,
      riskLimits: o.riskConfig,
    },
  });
  const log = pino({
    level: env.LOG_LEVEL ?? 'info',
    redact: ['req.headers.authorization', '*.password', '*.token', '*.apiKey', '*.apiSecret'],
  });
  const kernelLog: Logger = {
    debug: (m, d) => log.debug(d ?? {}, m),
    info: (m, d) => log.info(d ?? {}, m),
    warn: (m, d) => log.warn(d ?? {}, m),
    error: (m, d) => log.error(d ?? {}, m),
  };
  const logs = new LogBuffer(kernelLog);
  const dataDir = resolve(cfg.dataDir);
  let feed: BarFeed;
  if (cfg.feed.kind === 'replay') {
    feed = new ReplayFeed({
      sources: cfg.node.instruments.map((i) => ({ instrumentId: i.id, file: resolve(i.file!) })),
      intervalMs: cfg.feed.intervalMs,
      loop: cfg.feed.loop,
    });
  } else {
    const byId = new Map(cfg.node.instruments.map((i) => [i.id, i.symbol ?? i.id]));
    feed = new BinanceLiveFeed({
      symbols: [...byId].map(([instrumentId, symbol]) => ({ instrumentId, symbol })),
      interval: cfg.feed.interval,
      wsBase: cfg.feed.wsUrl,
      restBase: cfg.feed.restUrl,
      backfill: cfg.feed.backfill,
      staleAfterMs: cfg.feed.staleAfterMs,
      logger: logs,
    });
  }
  const store: StateStore =
    cfg.storage.kind === 'journal'
      ? new JournalStateStore(join(dataDir, 'node.journal'), { fsync: cfg.storage.fsync })
      : cfg.storage.kind === 'store'
        ? await StoreStateStore.open({
            // DATABASE_URL: that PostgreSQL server; otherwise the node's own embedded PGlite database (its own
            // directory: PGlite is one process's database, and `tickerml data` opens ./data/pglite).
            databaseUrl: env.DATABASE_URL ?? '',
            dataDir: join(dataDir, NODE_PGLITE_DIR),
            ...(cfg.storage.schema ? { schema: cfg.storage.schema } : {}),
            accountId: cfg.storage.account,
            onError: (e) => logs.error('state store write failed; retrying', { error: String(e) }),
          })
        : new MemoryStateStore();
  const clock = new WallClock();
  const node = new TradingNode(cfg.node, { clock, feed, store, logger: logs });
  await node.start();

  const { auth, createdAdmin } = await AuthService.open({
    dataDir,
    accessTtlSec: cfg.server.accessTokenTtlSec,
    refreshTtlSec: cfg.server.refreshTokenTtlSec,
    ...(env.TICKERML_ADMIN_PASSWORD ? { adminPassword: env.TICKERML_ADMIN_PASSWORD } : {}),
  });
  const datasets = new Map<string, Dataset>(
    cfg.node.instruments
      .filter((i) => i.file)
      .map((i) => [
        i.id,
        { file: resolve(i.file!), lotSize: i.lotSize, tickSize: i.tickSize, quote: i.quote },
      ]),
  );
  const staticDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));
  const app = await buildApp({
    node,
    auth,
    backtests: new BacktestJobs(datasets),
    logs,
    config: { ...cfg },
    loginRateLimit: cfg.server.loginRateLimit,
    staticDir,
    logger: { level: env.LOG_LEVEL ?? 'info' },
  });
  const address = await app.listen({ port: cfg.server.port, host: cfg.server.host });
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : cfg.server.port;
  const lines = [
    '',
    `TickerML paper trading node — ${feed.kind === 'replay' ? 'REPLAY of historical data (not live market data)' : 'LIVE market data'}`,
    `  feed:  ${feed.description}`,
    `  state: ${store.description}`,
    `  API:   ${address} (docs at /docs)`,
    `  open http://localhost:${port} and log in as admin`,
  ];
  if (createdAdmin)
    lines.push(
      createdAdmin.generated
        ? `  first start: created user 'admin' with password ${createdAdmin.password}  (shown once; set TICKERML_ADMIN_PASSWORD to choose it)`
        : `  first start: created user 'admin' with the password from TICKERML_ADMIN_PASSWORD`,
    );
  print(lines.join('\n') + '\n\n');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await app.close();
      await node.stop();
      await store.close();
      clock.close();
    })());
  return { app, node, port, close, createdAdmin };
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'start paper trading (replay of bundled data by default, --feed binance for live market data) with the REST/WebSocket API on port 8080',
    )
    .option('--config <file>', 'YAML configuration (default: $TICKERML_CONFIG or config/default.yaml)')
    .option('--port <n>', 'HTTP port (default: $PORT or 8080)')
    .option('--host <addr>', 'listen address (default 0.0.0.0)')
    .option('--interval-ms <n>', 'replay pace: wall time between two bars of an instrument')
    .option(
      '--feed <kind>',
      "'replay' (bundled bars, default) or 'binance' (live public market data, no API key)",
    )
    .option('--symbols <list>', 'live feed: Binance symbols, comma-separated (e.g. BTCUSDT,ETHUSDT)')
    .option('--interval <i>', 'live feed: kline interval (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 1d; default 1m)')
    .option(
      '--state <kind>',
      "where orders, fills, positions and snapshots are kept: 'journal' (default, ./data/node.journal), 'store' (PostgreSQL at DATABASE_URL, else PGlite in ./data/node-pglite) or 'memory'",
    )
    .option('--data-dir <dir>', 'where the journal or node store, users and JWT secret live (default ./data)')
    .option(
      '--risk-config <file>',
      'risk limits YAML (default: riskLimits in the config, config/risk_limits.yaml)',
    )
    .action(async (o: RunOptions) => {
      const { close } = await startTradingNode(o);
      const stop = (sig: string): void => {
        process.stdout.write(`\n${sig}: stopping…\n`);
        close().then(
          () => process.exit(0),
          (e: unknown) => {
            process.stderr.write(`error while stopping: ${String(e)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
