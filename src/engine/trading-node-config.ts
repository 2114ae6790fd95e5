import { z } from 'zod';
import { invalid } from '../model/index.js';

const instrumentSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['spot', 'perpetual', 'equity']).default('equity'),
    base: z.string().min(1).optional(),
    quote: z.string().min(1).default('USD'),
    tickSize: z.number().positive().default(0.01),
    lotSize: z.number().positive().default(1),
    minQuantity: z.number().positive().optional(),
    makerFee: z.number().min(-0.01).max(0.1).optional(),
    takerFee: z.number().min(0).max(0.1).optional(),
    /** Replay: the CSV file of bars (relative to the working directory). */
    file: z.string().min(1).optional(),
    /** Live: the exchange symbol, e.g. BTCUSDT. */
    symbol: z.string().min(1).optional(),
  })
  .strict();

const strategySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)'),
    name: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    instruments: z.array(z.string().min(1)).min(1).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

/** The trading node's part of the configuration (the kernel graph); feeds, storage and server are the app's. */
export const tradingNodeConfigSchema = z
  .object({
    mode: z.literal('paper').default('paper'),
    account: z
      .object({
        currency: z.string().min(1).default('USD'),
        cash: z.number().positive().default(100_000),
        type: z.enum(['cash', 'margin']).default('cash'),
      })
      .strict()
      .default({ currency: 'USD', cash: 100_000, type: 'cash' }),
    commission: z
      .object({ rate: z.number().min(0).max(0.1).optional(), fixed: z.number().min(0).optional() })
      .strict()
      .default({}),
    execution: z
      .object({
        venue: z.literal('bar').default('bar'),
        fill: z.enum(['next-open', 'close']).default('next-open'),
        slippageBps: z.number().min(0).max(1000).default(0),
      })
      .strict()
      .default({ venue: 'bar', fill: 'next-open', slippageBps: 0 }),
    instruments: z.array(instrumentSchema).min(1),
    strategies: z.array(strategySchema).default([]),
    /** Risk limits, validated by risk/config.ts (docs/RISK.md). */
    risk: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(42),
  })
  .strict();

export type TradingNodeConfig = z.infer<typeof tradingNodeConfigSchema>;
export type TradingNodeConfigInput = z.input<typeof tradingNodeConfigSchema>;
export type InstrumentConfig = z.infer<typeof instrumentSchema>;
export type StrategyConfig = z.infer<typeof strategySchema>;

/** Validates with `schema`; the first problem throws a TickerError naming its dotted path and value. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, root: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  let value: unknown = input;
  for (const k of issue.path)
    value =
      value && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[k as PropertyKey]
        : undefined;
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  throw invalid(path || root, value, issue.message);
}
