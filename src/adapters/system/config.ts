import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  type InstrumentConfig,
  type StrategyConfig,
  parseWith,
  tradingNodeConfigSchema,
} from '../../engine/trading-node-config.js';
import { invalid } from '../../model/index.js';
import { nodeRiskLimits } from './risk-limits.js';
import { readYamlFile } from './yaml-file.js';
import { BINANCE_INTERVALS } from '../binance/live-feed.js';

export const appConfigSchema = z
  .object({
    node: tradingNodeConfigSchema,
    feed: z
      .object({
        /** 'replay' of bundled CSV bars; 'binance' (or 'live' with exchange: binance) = live public market data. */
        kind: z.enum(['replay', 'live', 'binance']).default('replay'),
        intervalMs: z.number().int().min(1).max(3_600_000).default(500),
        loop: z.boolean().default(true),
        /** Live public market data (no API key): the exchange and the bar interval. */
        exchange: z.literal('binance').default('binance'),
        interval: z.enum(BINANCE_INTERVALS).default('1m'),
        /** Live: exchange symbols (default: the instruments' `symbol`s); each becomes an instrument if none matches. */
        symbols: z
          .array(z.string().regex(/^[A-Z0-9]{2,20}$/, 'a Binance symbol such as BTCUSDT'))
          .min(1)
          .optional(),
        /** Live: WebSocket and REST base URLs (tests point them at a local server). */
        wsUrl: z
          .string()
          .regex(/^wss?:\/\//, 'a ws:// or wss:// URL')
          .default('wss://stream.binance.com:9443'),
        restUrl: z
          .string()
          .regex(/^https?:\/\//, 'an http:// or https:// URL')
          .default('https://api.binance.com'),
        /** Live: closed klines fetched per symbol at start and after a reconnect (warm-up, gap fill). */
        backfill: z.number().int().min(0).max(1000).default(100),
        /** Live: reconnect when the stream has been silent this long. */
        staleAfterMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .default({
        kind: 'replay',
        intervalMs: 500,
        loop: true,
        exchange: 'binance',
        interval: '1m',
        wsUrl: 'wss://stream.binance.com:9443',
        restUrl: 'https://api.binance.com',
        backfill: 100,
        staleAfterMs: 30_000,
      }),
    storage: z
      .object({
        /** journal: ./data/node.journal; store: PGlite under dataDir or PostgreSQL (DATABASE_URL); memory: nothing kept. */
        kind: z.enum(['journal', 'store', 'memory']).default('journal'),
        /** journal: fsync orders, fills and strategy changes (group commit). */
        fsync: z.boolean().default(true),
        /** store: the account the node's rows are kept under (several nodes may share one database). */
        account: z
          .string()
          .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _.:- only')
          .default('paper'),
        /** store: the schema (default tickerml). */
        schema: z
          .string()
          .regex(
            /^[a-z_][a-z0-9_]{0,62}$/,
            'lower-case letters, digits and _ (at most 63), starting with a letter',
          )
          .optional(),
      })
      .strict()
      .default({ kind: 'journal', fsync: true, account: 'paper' }),
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        accessTokenTtlSec: z.number().int().min(10).max(86_400).default(900),
        refreshTokenTtlSec: z
          .number()
          .int()
          .min(60)
          .max(90 * 86_400)
          .default(604_800),
        loginRateLimit: z
          .object({
            max: z.number().int().min(1).default(10),
            windowSec: z.number().int().min(1).default(60),
          })
          .strict()
          .default({ max: 10, windowSec: 60 }),
      })
      .strict()
      .default({
        host: '0.0.0.0',
        port: 8080,
        accessTokenTtlSec: 900,
        refreshTokenTtlSec: 604_800,
        loginRateLimit: { max: 10, windowSec: 60 },
      }),
    dataDir: z.string().min(1).default('data'),
    /** Risk limits file (config/risk_limits.yaml); `node.risk` overrides its fields (docs/RISK.md). */
    riskLimits: z.string().min(1).optional(),
  })
  .strict();

export type AppConfig = z.infer<typeof appConfigSchema>;

/** Environment variables that override the file: name → [dotted config path, type]. */
export const ENV_OVERRIDES: Readonly<
  Record<string, readonly [string, 'number' | 'string' | 'boolean' | 'list']>
> = {
  PORT: ['server.port', 'number'],
  TICKERML_HOST: ['server.host', 'string'],
  TICKERML_DATA_DIR: ['dataDir', 'string'],
  TICKERML_REPLAY_INTERVAL_MS: ['feed.intervalMs', 'number'],
  TICKERML_FEED: ['feed.kind', 'string'],
  TICKERML_FEED_SYMBOLS: ['feed.symbols', 'list'],
  TICKERML_FEED_INTERVAL: ['feed.interval', 'string'],
  TICKERML_STORAGE: ['storage.kind', 'string'],
  TICKERML_FSYNC: ['storage.fsync', 'boolean'],
  TICKERML_STATE_ACCOUNT: ['storage.account', 'string'],
  TICKERML_STATE_SCHEMA: ['storage.schema', 'string'],
  TICKERML_RISK_CONFIG: ['riskLimits', 'string'],
};

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]!] = value;
}

function envValue(name: string, raw: string, type: 'number' | 'string' | 'boolean' | 'list'): unknown {
  if (type === 'string') return raw;
  if (type === 'list') return splitList(raw);
  if (type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw invalid(`env.${name}`, raw, 'must be true or false');
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw invalid(`env.${name}`, raw, 'must be a number');
  return n;
}

/** "BTCUSDT, ethusdt" → ['BTCUSDT', 'ETHUSDT'] (flags and environment variables). */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((x) => x.trim().toUpperCase())
    .filter((x) => x !== '');
}

export interface LoadConfigOptions {
  /** The YAML file (default: $TICKERML_CONFIG or config/default.yaml under cwd). */
  readonly file?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Applied last (CLI flags), as dotted paths. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * Loads the configuration: YAML file, then environment variables, then CLI overrides, validated by
 * appConfigSchema. Any error throws a TickerError naming the path (`server.port`, `env.PORT`) and value.
 */
export function loadAppConfig(opts: LoadConfigOptions = {}): AppConfig & { readonly source: string } {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = resolve(cwd, opts.file ?? env.TICKERML_CONFIG ?? 'config/default.yaml');
  const raw = readYamlFile(file, 'config');
  const doc = (raw ?? {}) as Record<string, unknown>;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid('config', file, 'must be a YAML mapping');
  for (const [name, [path, type]] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(doc, path, envValue(name, v, type));
  }
  for (const [path, v] of Object.entries(opts.overrides ?? {})) if (v !== undefined) setPath(doc, path, v);
  const parsed = parseWith(appConfigSchema, doc, '');
  // A live feed decides the instruments and strategies (its symbols); everything after applies to both.
  const cfg = parsed.feed.kind === 'replay' ? parsed : liveConfig(parsed);
  for (const [i, inst] of cfg.node.instruments.entries()) {
    if (cfg.feed.kind === 'replay' && !inst.file)
      throw invalid(`node.instruments.${i}.file`, inst.file, 'a replay feed needs a CSV file per instrument');
    if (cfg.feed.kind === 'replay' && !existsSync(resolve(cwd, inst.file!)))
      throw invalid(`node.instruments.${i}.file`, inst.file, 'file does not exist');
  }
  if (cfg.riskLimits) {
    const ids = cfg.node.strategies.map((st) => st.id);
    const risk = nodeRiskLimits(resolve(cwd, cfg.riskLimits), cfg.node.risk, ids);
    return { ...cfg, node: { ...cfg.node, risk }, source: file };
  }
  return { ...cfg, source: file };
}

/** True when the feed is live public market data (not a replay). */
export const isLiveFeed = (cfg: AppConfig): boolean => cfg.feed.kind !== 'replay';

/**
 * A live feed trades its symbols: each becomes the configured instrument whose `symbol` (or id) matches it,
 * else a spot instrument named after it (tick 0.01, lot 0.00001: Binance's BTCUSDT filters). Strategies bound
 * to instruments the feed does not carry are left out; when none is left, each symbol gets an SMA crossover.
 */
function liveConfig(cfg: AppConfig): AppConfig {
  const symbols = cfg.feed.symbols ?? cfg.node.instruments.flatMap((i) => (i.symbol ? [i.symbol] : []));
  if (symbols.length === 0)
    throw invalid(
      'feed.symbols',
      undefined,
      'a live feed needs symbols: --symbols BTCUSDT,ETHUSDT, feed.symbols, or node.instruments[].symbol',
    );
  const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'USD', 'EUR', 'TRY', 'BTC', 'ETH', 'BNB'];
  const instruments: InstrumentConfig[] = [...new Set(symbols)].map((sym) => {
    const known = cfg.node.instruments.find((i) => i.symbol === sym || (!i.symbol && i.id === sym));
    if (known) return { ...known, symbol: sym };
    const quote = QUOTES.find((q) => sym.endsWith(q) && sym.length > q.length) ?? 'USDT';
    return {
      id: sym,
      kind: 'spot',
      base: sym.slice(0, sym.length - quote.length),
      quote,
      tickSize: 0.01,
      lotSize: 0.00001,
      symbol: sym,
    };
  });
  const ids = new Set(instruments.map((i) => i.id));
  let strategies: StrategyConfig[] = cfg.node.strategies.filter(
    (s) => !s.instruments || s.instruments.every((id) => ids.has(id)),
  );
  if (strategies.length === 0)
    strategies = instruments.map((i) => ({
      id: `sma-${i.id.toLowerCase()}`.slice(0, 64),
      name: 'sma-cross',
      params: { fast: 10, slow: 30, fraction: 0.2 },
      instruments: [i.id],
      enabled: true,
    }));
  const currency = instruments.every((i) => i.quote === instruments[0]!.quote)
    ? instruments[0]!.quote
    : cfg.node.account.currency;
  return {
    ...cfg,
    feed: { ...cfg.feed, symbols: [...new Set(symbols)] },
    node: { ...cfg.node, account: { ...cfg.node.account, currency }, instruments, strategies },
  };
}
