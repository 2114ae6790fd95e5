import { z } from 'zod';
import { invalid } from '../model/index.js';

const share = z.number().gt(0).max(1);
/** A limit that may be absent: `null` means "no such limit" (the check still runs and always passes). */
const optionalPositive = z.number().positive().nullable();

const groupSchema = z
  .object({
    /** Instrument ids (or symbols) in the group, e.g. a sector or a theme. */
    members: z.array(z.string().min(1)).min(1),
    /** Gross exposure of the group as a share of equity. */
    maxShare: share,
  })
  .strict();

/**
 * Volatility-scaled position limit (off when null): the max position share of an instrument is multiplied
 * by min(1, targetVolatility / realized volatility), the realized volatility being the sample standard
 * deviation of its last `window` step returns × √periodsPerYear (from the rolling price history).
 */
const volatilityScalingSchema = z
  .object({
    /** Annualized volatility at which the full limit applies (0.2 = 20% a year). */
    targetVolatility: z.number().positive(),
    /** Steps a year, to annualize step returns (252 for daily bars, 365 × 1440 for crypto minutes). */
    periodsPerYear: z.number().positive().default(252),
    /** Step returns in the rolling window. */
    window: z.number().int().min(3).max(100_000).default(20),
    /** Fewer returns than this: the volatility is unknown and the plain limit applies. */
    minObservations: z.number().int().min(2).default(10),
  })
  .strict()
  .refine((v) => v.minObservations <= v.window, {
    message: 'minObservations must not exceed window',
    path: ['minObservations'],
  });

/**
 * Per-strategy overrides of the order-level limits (the fields a pre-trade rule reads for one order).
 * Account-level breakers (drawdown, daily loss), engine-managed exits and correlation limits act on the
 * whole account and are not overridable per strategy.
 */
export const strategyRiskOverrideSchema = z
  .object({
    maxPositionShare: share.optional(),
    perInstrumentShare: z.record(z.string(), share).optional(),
    minOrderNotional: z.number().nonnegative().optional(),
    maxOrderNotional: optionalPositive.optional(),
    maxOrderQuantity: optionalPositive.optional(),
    maxOpenOrdersPerStrategy: z.number().int().positive().optional(),
    priceBand: z.number().positive().optional(),
  })
  .strict();

export type StrategyRiskOverride = z.infer<typeof strategyRiskOverrideSchema>;

/**
 * Risk limits, validated at load. Every field has a default, so `{}` is a complete configuration.
 * Shares are fractions (0.25 = 25%); amounts are in the account currency.
 */
export const riskConfigSchema = z
  .object({
    /** Largest position in one instrument as a share of equity, after the order fills. */
    maxPositionShare: share.default(0.25),
    /** Per-instrument overrides of maxPositionShare (concentration per asset). */
    perInstrumentShare: z.record(z.string(), share).default({}),
    /** Orders smaller than this notional are denied (closing orders are exempt). */
    minOrderNotional: z.number().nonnegative().default(10),
    /** Orders larger than this notional are denied (null: no limit). */
    maxOrderNotional: optionalPositive.default(null),
    /** Orders larger than this quantity are denied (null: no limit). */
    maxOrderQuantity: optionalPositive.default(null),
    /** Open orders per account. */
    maxOpenOrders: z.number().int().positive().default(100),
    /** Open orders per strategy. */
    maxOpenOrdersPerStrategy: z.number().int().positive().default(50),
    /**
     * Fat-finger band: a buy limit above last × (1 + band) or a sell limit below last × (1 − band) is
     * denied (the aggressive side only; a passive limit far from the market cannot trade at a bad price).
     */
    priceBand: z.number().positive().default(0.2),
    /** Gross exposure limits per user-defined group (sector, theme). */
    groups: z.record(z.string(), groupSchema).default({}),
    correlation: z
      .object({
        /** Two instruments whose return correlation is at least this are treated as one exposure. */
        threshold: z.number().gt(0).max(1).default(0.8),
        /** Combined exposure of an instrument and those correlated with it, as a share of equity. */
        maxExposure: z.number().positive().default(0.5),
        /** Returns in the rolling window (steps). */
        window: z.number().int().min(3).default(60),
        /** Fewer observations than this: the correlation is unknown and the check passes. */
        minObservations: z.number().int().min(3).default(20),
      })
      .strict()
      .default({ threshold: 0.8, maxExposure: 0.5, window: 60, minObservations: 20 }),
    /** Drawdown from the high-water mark that closes everything and halts trading (0.25 = 25%). */
    maxDrawdown: share.default(0.25),
    /** Loss from the start-of-day equity that puts the account in reducing mode until the next UTC day. */
    dailyLossLimit: share.default(0.05),
    /** Engine-managed stop loss per position, as a share of the entry price (null: none). */
    stopLoss: share.nullable().default(0.05),
    /** Engine-managed take profit per position, as a share of the entry price (null: none). */
    takeProfit: z.number().positive().nullable().default(0.1),
    anomaly: z
      .object({
        /** A bar return beyond this many standard deviations pauses the instrument (null: no jump check). */
        jumpSigmas: z.number().positive().nullable().default(8),
        /** Half-life of the exponentially weighted return variance, in bars. */
        halfLifeBars: z.number().positive().default(50),
        /** Bars before the jump check starts. */
        warmupBars: z.number().int().nonnegative().default(30),
        /** A paused instrument resumes after this many bars (null: only by hand). */
        resumeAfterBars: z.number().int().positive().nullable().default(10),
        /** An instrument without a bar for this long (µs) is paused until its next bar (null: no check). */
        staleAfterUs: z.number().positive().nullable().default(null),
      })
      .strict()
      .default({ jumpSigmas: 8, halfLifeBars: 50, warmupBars: 30, resumeAfterBars: 10, staleAfterUs: null }),
    /** Max position scaled down by target / realized volatility (null: off). */
    volatilityScaling: volatilityScalingSchema.nullable().default(null),
    /** Strategy id → overrides of the order-level limits for that strategy's orders. */
    strategies: z
      .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a strategy id'), strategyRiskOverrideSchema)
      .default({}),
  })
  .strict();

export type RiskConfig = z.infer<typeof riskConfigSchema>;
/** What users write: any subset of RiskConfig (nested objects may be partial too). */
export type RiskConfigInput = z.input<typeof riskConfigSchema>;

/** Validates a risk configuration; a bad field throws a TickerError naming its path and value. */
export function parseRiskConfig(input: unknown = {}, path = 'risk'): RiskConfig {
  const r = riskConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  let value: unknown = input;
  for (const k of issue.path)
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  throw invalid([path, ...issue.path.map(String)].join('.'), value, issue.message);
}

/**
 * The limits backtesting.py compatibility mode runs with: its strategies size at ~100% of equity and
 * manage their own exits, so the position limit is 100%, the drawdown and daily-loss breakers sit at
 * 100% (they trip only when equity is gone), there is no minimum notional, no engine-managed stop loss or
 * take profit and no jump pause. Every rule still runs on every order; only the numbers differ.
 */
export const COMPAT_BACKTESTING_PY_RISK: RiskConfigInput = {
  maxPositionShare: 1,
  minOrderNotional: 0,
  priceBand: 100,
  maxOpenOrders: 100_000,
  maxOpenOrdersPerStrategy: 100_000,
  correlation: { threshold: 1, maxExposure: 1e9 },
  maxDrawdown: 1,
  dailyLossLimit: 1,
  stopLoss: null,
  takeProfit: null,
  anomaly: { jumpSigmas: null },
};

/** Merges user overrides onto a base configuration (one level deep for the nested objects). */
export function mergeRiskConfig(base: RiskConfigInput, over: RiskConfigInput | undefined): RiskConfigInput {
  if (!over) return base;
  return {
    ...base,
    ...over,
    correlation: { ...base.correlation, ...over.correlation },
    anomaly: { ...base.anomaly, ...over.anomaly },
    strategies: mergeStrategies(base.strategies, over.strategies),
  };
}

/** Per-strategy overrides merged per id (the later one's fields win). */
function mergeStrategies(
  a: RiskConfigInput['strategies'],
  b: RiskConfigInput['strategies'],
): RiskConfigInput['strategies'] {
  const out: Record<string, StrategyRiskOverride> = { ...a };
  for (const [id, o] of Object.entries(b ?? {})) out[id] = { ...out[id], ...o };
  return out;
}

/** The limits that apply to one strategy's orders: the account's with its overrides on top. */
export function limitsForStrategy(config: RiskConfig, strategyId: string): RiskConfig {
  const o = config.strategies[strategyId];
  if (!o) return config;
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { ...config, ...defined };
}
