import { z } from 'zod';

/** JSON Schema (draft-07, what Fastify's ajv speaks) from a zod schema: one schema library for validation and docs. */
export function js(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete out.$schema;
  return out;
}

export const errorBody = z.object({
  error: z.string().describe('stable code, e.g. BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND'),
  message: z.string(),
  field: z.string().optional().describe('the request field at fault, e.g. body.quantity'),
});

const num = z.number();
const nullableNum = z.number().nullable();

export const orderSchema = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  strategyId: z.string(),
  instrumentId: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop-market', 'stop-limit']),
  timeInForce: z.string(),
  quantity: num,
  price: nullableNum,
  triggerPrice: nullableNum,
  reduceOnly: z.boolean(),
  status: z.string(),
  filledQuantity: num,
  averageFillPrice: num,
  reason: z.string().nullable(),
  tag: z.string().nullable(),
  createdAt: num.describe('µs since the epoch'),
  updatedAt: num,
});

export const fillSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  strategyId: z.string(),
  instrumentId: z.string(),
  side: z.enum(['buy', 'sell']),
  quantity: num,
  price: num,
  fee: num,
  feeCurrency: z.string(),
  liquidity: z.enum(['maker', 'taker']),
  ts: num,
});

export const positionSchema = z.object({
  instrumentId: z.string(),
  quantity: num,
  averagePrice: num,
  lastPrice: nullableNum,
  realizedPnl: num,
  unrealizedPnl: num,
  fees: num,
});

export const snapshotSchema = z.object({
  ts: num,
  step: num,
  cash: num,
  equity: num,
  grossExposure: num,
  positions: z.array(positionSchema),
  cursors: z.record(z.string(), num),
});

export const candleSchema = z.object({
  ts: num.describe('node clock (µs) when the bar was processed'),
  sourceTs: num.describe("the bar's own time in the source data (µs); in replay, historical"),
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num,
});

export const strategySchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  failed: z.string().nullable(),
  instruments: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
});

export const submitOrderBody = z
  .object({
    instrumentId: z.string().min(1),
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit', 'stop-market', 'stop-limit']).default('market'),
    quantity: z.number().gt(0),
    price: z.number().gt(0).optional(),
    triggerPrice: z.number().gt(0).optional(),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'DAY']).optional(),
    reduceOnly: z.boolean().optional(),
    postOnly: z.boolean().optional(),
    clientOrderId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const loginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export const refreshBody = z.object({ refreshToken: z.string().min(10) }).strict();
export const tokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().describe('seconds until the access token expires'),
  role: z.enum(['viewer', 'trader', 'admin']),
});
export const userSchema = z.object({
  username: z.string(),
  role: z.enum(['viewer', 'trader', 'admin']),
  createdAt: z.string(),
});
export const createUserBody = z
  .object({
    username: z.string().regex(/^[a-zA-Z0-9_.-]{2,64}$/),
    password: z.string().min(12).max(256),
    role: z.enum(['viewer', 'trader', 'admin']),
  })
  .strict();

export const backtestBody = z
  .object({
    strategy: z.string().min(1),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    instrumentId: z.string().min(1).describe('a dataset the node has (its configured instruments)'),
    cash: z.number().gt(0).default(10_000),
    commission: z.number().min(0).max(0.1).default(0),
  })
  .strict();

export const backtestJob = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number().min(0).max(1),
  request: z.record(z.string(), z.unknown()),
  submittedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const idParam = z.object({ id: z.string().min(1).max(128) });
export const limitQuery = z.object({ limit: z.number().int().min(1).max(10_000).default(500) });
