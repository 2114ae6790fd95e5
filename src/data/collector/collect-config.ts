import { z } from 'zod';
import { invalid } from '../../model/index.js';
import { readYamlFile } from '../../adapters/system/yaml-file.js';

/** Binance's accepted `limit` values for a USDⓈ-M depth snapshot; spot takes 1..5000. */
const USDM_DEPTHS = [5, 10, 20, 50, 100, 500, 1000];

/** `tickerml collect --config FILE` (config/collect.yaml is the annotated example). */
export const collectConfigSchema = z
  .object({
    venue: z.enum(['binance-usdm', 'binance-spot']),
    symbols: z
      .array(z.string().regex(/^[A-Za-z0-9]{2,20}$/, 'must be a Binance symbol such as BTCUSDT'))
      .min(1, 'list at least one symbol'),
    streams: z
      .object({
        /** Levels of the REST snapshots the book is (re)synced from; diffs are always collected. */
        bookDepth: z.number().int().min(1).max(5000).default(1000),
        trades: z.boolean().default(true),
        /** Mark price and funding rate (binance-usdm only). Default: on for binance-usdm. */
        funding: z.boolean().optional(),
      })
      .strict()
      .default({ bookDepth: 1000, trades: true }),
    sinks: z
      .object({
        /** The store: PGlite under `<dataDir>/pglite`, or the server at DATABASE_URL. */
        store: z.boolean().default(true),
        /** A directory for book.jsonl, trades.jsonl and funding.jsonl, or false. */
        jsonl: z.union([z.literal(false), z.string().min(1)]).default(false),
        /** JetStream: `auto` when NATS_URL is set, `true` always (NATS_URL or 127.0.0.1:4222), `false` never. */
        jetstream: z.union([z.boolean(), z.literal('auto')]).default('auto'),
      })
      .strict()
      .default({ store: true, jsonl: false, jetstream: 'auto' }),
    dataDir: z.string().min(1).default('data'),
    batch: z
      .object({
        size: z.number().int().min(1).max(100_000).default(500),
        flushMs: z.number().int().min(10).max(60_000).default(1000),
      })
      .strict()
      .default({ size: 500, flushMs: 1000 }),
    jetstream: z
      .object({
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]{0,64}$/, 'must be letters, digits, "_" or "-"')
          .default(''),
        retentionHours: z.number().positive().default(72),
        duplicateWindowSec: z.number().positive().default(300),
        maxInFlight: z.number().int().min(1).max(100_000).default(256),
      })
      .strict()
      .default({ prefix: '', retentionHours: 72, duplicateWindowSec: 300, maxInFlight: 256 }),
    /** Other origins (a testnet, a local replay); default: Binance's production endpoints. */
    endpoints: z
      .object({
        ws: z
          .string()
          .regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL')
          .optional(),
        rest: z
          .string()
          .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type CollectConfig = z.infer<typeof collectConfigSchema> & {
  readonly streams: { readonly funding: boolean };
  readonly source: string;
};

/** Reads and validates a collect YAML file; every error names the field and the value it had. */
export function loadCollectConfig(file: string): CollectConfig {
  const raw = readYamlFile(file, 'config');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('config', file, 'must be a YAML mapping');
  const r = collectConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    let value: unknown = raw;
    for (const k of issue.path)
      value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
    const path = issue.path.map(String).join('.') || 'config';
    throw invalid(`${path}`, value, `${issue.message} (in ${file})`);
  }
  const c = r.data;
  const usdm = c.venue === 'binance-usdm';
  if (c.streams.funding === true && !usdm)
    throw invalid('streams.funding', true, `${c.venue} has no funding stream; set it to false (in ${file})`);
  if (usdm && !USDM_DEPTHS.includes(c.streams.bookDepth))
    throw invalid(
      'streams.bookDepth',
      c.streams.bookDepth,
      `binance-usdm snapshots take one of ${USDM_DEPTHS.join(', ')} (in ${file})`,
    );
  if (!c.sinks.store && c.sinks.jsonl === false && c.sinks.jetstream === false)
    throw invalid('sinks', c.sinks, `turn on at least one sink (in ${file})`);
  return {
    ...c,
    symbols: c.symbols.map((s) => s.toUpperCase()),
    streams: { ...c.streams, funding: c.streams.funding ?? usdm },
    source: file,
  };
}
