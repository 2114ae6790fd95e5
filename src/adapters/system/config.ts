import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseWith, tradingNodeConfigSchema } from '../../engine/trading-node-config.js';
import { TickerError, invalid } from '../../model/index.js';

export const appConfigSchema = z
  .object({
    node: tradingNodeConfigSchema,
    feed: z
      .object({
        kind: z.enum(['replay', 'live']).default('replay'),
        intervalMs: z.number().int().min(1).max(3_600_000).default(500),
        loop: z.boolean().default(true),
        /** Live public market data (no API key): the exchange and the bar interval. */
        exchange: z.literal('binance').default('binance'),
        interval: z.enum(['1m', '5m', '15m', '1h']).default('1m'),
      })
      .strict()
      .default({ kind: 'replay', intervalMs: 500, loop: true, exchange: 'binance', interval: '1m' }),
    storage: z
      .object({ kind: z.enum(['journal', 'memory']).default('journal'), fsync: z.boolean().default(true) })
      .strict()
      .default({ kind: 'journal', fsync: true }),
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
  })
  .strict();

export type AppConfig = z.infer<typeof appConfigSchema>;

/** Environment variables that override the file: name → [dotted config path, type]. */
export const ENV_OVERRIDES: Readonly<Record<string, readonly [string, 'number' | 'string' | 'boolean']>> = {
  PORT: ['server.port', 'number'],
  TICKERML_HOST: ['server.host', 'string'],
  TICKERML_DATA_DIR: ['dataDir', 'string'],
  TICKERML_REPLAY_INTERVAL_MS: ['feed.intervalMs', 'number'],
  TICKERML_FEED: ['feed.kind', 'string'],
  TICKERML_STORAGE: ['storage.kind', 'string'],
  TICKERML_FSYNC: ['storage.fsync', 'boolean'],
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

function envValue(name: string, raw: string, type: 'number' | 'string' | 'boolean'): unknown {
  if (type === 'string') return raw;
  if (type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw invalid(`env.${name}`, raw, 'must be true or false');
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw invalid(`env.${name}`, raw, 'must be a number');
  return n;
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
  if (!existsSync(file)) throw invalid('config', file, 'file does not exist');
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TickerError('CONFIG_PARSE', `${file}: ${(e as Error).message}`, {
      field: 'config',
      value: file,
      cause: e,
    });
  }
  const doc = (raw ?? {}) as Record<string, unknown>;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid('config', file, 'must be a YAML mapping');
  for (const [name, [path, type]] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(doc, path, envValue(name, v, type));
  }
  for (const [path, v] of Object.entries(opts.overrides ?? {})) if (v !== undefined) setPath(doc, path, v);
  const cfg = parseWith(appConfigSchema, doc, '');
  for (const [i, inst] of cfg.node.instruments.entries()) {
    if (cfg.feed.kind === 'replay' && !inst.file)
      throw invalid(`node.instruments.${i}.file`, inst.file, 'a replay feed needs a CSV file per instrument');
    if (cfg.feed.kind === 'replay' && !existsSync(resolve(cwd, inst.file!)))
      throw invalid(`node.instruments.${i}.file`, inst.file, 'file does not exist');
  }
  return { ...cfg, source: file };
}
