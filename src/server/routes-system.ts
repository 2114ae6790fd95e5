import type { FastifyInstance } from 'fastify';
import { TickerError } from '../model/index.js';
import type { AppContext } from './app.js';
import type { BacktestJob, BacktestRequest } from './backtests.js';
import { redact } from './log-buffer.js';
import { routeSchema, z } from './route-schema.js';
import { backtestBody, backtestJob, candleSchema, errorBody, idParam, js } from './schemas.js';

const instQuery = z.object({
  instrumentId: z.string().min(1),
  limit: z.number().int().min(1).max(2000).default(500),
});

export function registerSystemRoutes(api: FastifyInstance, ctx: AppContext): void {
  const { node, backtests } = ctx;
  const k = node.kernel;
  const known = (id: string): void => {
    if (!node.instrumentIds().includes(id))
      throw new TickerError(
        'INVALID_ARGUMENT',
        `querystring.instrumentId: '${id}' is not traded here; known: ${node.instrumentIds().join(', ')}`,
        { field: 'querystring.instrumentId', value: id },
      );
  };

  // ---- market data ----
  const instrument = z.object({
    id: z.string(),
    kind: z.string(),
    base: z.string(),
    quote: z.string(),
    tickSize: z.number(),
    lotSize: z.number(),
    minQuantity: z.number(),
    lastPrice: z.number().nullable(),
  });
  api.get(
    '/market/instruments',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['market'],
        summary: 'Instruments traded by the node',
        response: z.array(instrument),
      }),
    },
    async () =>
      k.instruments().map((i) => {
        const last = k.portfolio.position(i.id)?.lastPrice ?? Number.NaN;
        return {
          id: i.id,
          kind: i.kind,
          base: i.base,
          quote: i.quote,
          tickSize: i.tickSize,
          lotSize: i.lotSize,
          minQuantity: i.minQuantity,
          lastPrice: Number.isFinite(last) ? last : null,
        };
      }),
  );
  api.get<{ Querystring: z.infer<typeof instQuery> }>(
    '/market/candles',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['market'],
        summary: 'Recent bars as the node processed them',
        query: instQuery,
        response: z.object({ instrumentId: z.string(), replay: z.boolean(), candles: z.array(candleSchema) }),
      }),
    },
    async (req) => {
      known(req.query.instrumentId);
      return {
        instrumentId: req.query.instrumentId,
        replay: node.feed.kind === 'replay',
        candles: node.candlesOf(req.query.instrumentId, req.query.limit),
      };
    },
  );
  const level = z.object({ price: z.number(), quantity: z.number() });
  api.get<{ Querystring: z.infer<typeof instQuery> }>(
    '/market/book',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['market'],
        summary: 'Order book depth (empty when the feed carries bars only)',
        query: instQuery,
        response: z.object({
          instrumentId: z.string(),
          source: z.string(),
          bids: z.array(level),
          asks: z.array(level),
        }),
      }),
    },
    async (req) => {
      known(req.query.instrumentId);
      // A bar feed carries no depth; we do not invent a book. An L2 feed will fill this.
      return {
        instrumentId: req.query.instrumentId,
        source: 'none: the feed carries bars only',
        bids: [],
        asks: [],
      };
    },
  );
  api.get<{ Querystring: z.infer<typeof instQuery> }>(
    '/market/trades',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['market'],
        summary: 'Public trades (empty when the feed carries bars only; our own trades are /fills)',
        query: instQuery,
        response: z.object({
          instrumentId: z.string(),
          source: z.string(),
          trades: z.array(
            z.object({ ts: z.number(), price: z.number(), quantity: z.number(), side: z.string() }),
          ),
        }),
      }),
    },
    async (req) => {
      known(req.query.instrumentId);
      return { instrumentId: req.query.instrumentId, source: 'none: the feed carries bars only', trades: [] };
    },
  );

  // ---- backtests ----
  const jobView = (j: BacktestJob) => ({
    id: j.id,
    status: j.status,
    progress: j.progress,
    request: { ...j.request },
    submittedAt: j.submittedAt,
    finishedAt: j.finishedAt,
    error: j.error,
  });
  const needJob = (id: string): BacktestJob => {
    const j = backtests.get(id);
    if (!j) throw new TickerError('NOT_FOUND', `no backtest '${id}'`, { field: 'params.id', value: id });
    return j;
  };
  api.post<{ Body: BacktestRequest }>(
    '/backtests',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: ['backtests'],
        summary: 'Submit a backtest on one of the node’s datasets (runs in the background)',
        body: backtestBody,
        response: backtestJob,
        status: 202,
      }),
    },
    async (req, reply) => reply.code(202).send(jobView(backtests.submit(req.body))),
  );
  api.get(
    '/backtests',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['backtests'],
        summary: 'Backtests (last 100)',
        response: z.array(backtestJob),
      }),
    },
    async () => backtests.list().map(jobView),
  );
  api.get<{ Params: { id: string } }>(
    '/backtests/:id',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['backtests'],
        summary: 'Status and progress of a backtest',
        params: idParam,
        response: backtestJob,
      }),
    },
    async (req) => jobView(needJob(req.params.id)),
  );
  const results = z.object({
    id: z.string(),
    stats: z.record(z.string(), z.unknown()),
    equity: z.array(z.object({ ts: z.number(), equity: z.number() })),
    trades: z.array(
      z.object({
        instrumentId: z.string(),
        size: z.number(),
        entryPrice: z.number(),
        exitPrice: z.number(),
        pnl: z.number(),
        entryTs: z.number(),
        exitTs: z.number(),
      }),
    ),
    bars: z.number(),
    fills: z.number(),
    seconds: z.number(),
  });
  api.get<{ Params: { id: string } }>(
    '/backtests/:id/results',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['backtests'],
        summary: 'Statistics, equity curve (≤1000 points) and trades of a finished backtest',
        params: idParam,
        response: results,
      }),
    },
    async (req) => {
      const j = needJob(req.params.id);
      if (j.status === 'failed')
        throw new TickerError('CONFLICT', `backtest ${j.id} failed: ${j.error}`, {
          field: 'params.id',
          value: j.id,
        });
      if (!j.result)
        throw new TickerError(
          'CONFLICT',
          `backtest ${j.id} is ${j.status}; poll /backtests/${j.id} until done`,
          { field: 'params.id', value: j.id },
        );
      return { id: j.id, ...j.result };
    },
  );

  api.get<{ Params: { id: string } }>(
    '/backtests/:id/report',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['backtests'],
        summary:
          'Self-contained HTML report (tearsheet: equity, drawdown, monthly returns, statistics, trades) of a finished backtest',
        security: [{ bearerAuth: [] }],
        params: js(idParam, 'input'),
        response: {
          200: {
            description: 'one HTML page, no scripts or external resources (docs/REPORTS.md)',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
          '4xx': {
            description: '404 unknown id, 409 still queued/running or failed',
            content: { 'application/json': { schema: js(errorBody) } },
          },
        },
      },
    },
    async (req, reply) => {
      const html = backtests.report(req.params.id);
      if (html === undefined)
        throw new TickerError('NOT_FOUND', `no backtest '${req.params.id}'`, {
          field: 'params.id',
          value: req.params.id,
        });
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="${req.params.id}-report.html"`)
        .send(html);
    },
  );

  // ---- system ----
  const status = z.object({
    mode: z.literal('paper'),
    feed: z.object({ kind: z.string(), description: z.string(), finished: z.boolean() }),
    node: z.string(),
    store: z.string(),
    startedAt: z.number(),
    uptimeSec: z.number(),
    recovered: z.object({ orders: z.number(), fills: z.number(), snapshots: z.number() }).nullable(),
    counters: z.record(z.string(), z.number()),
    strategies: z.number(),
    instruments: z.array(z.string()),
  });
  api.get(
    '/system/status',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['system'],
        summary: 'Mode (paper), feed (replay or live), store, counters',
        response: status,
      }),
    },
    async () => ({
      mode: 'paper' as const,
      feed: { kind: node.feed.kind, description: node.feed.description, finished: node.feed.finished },
      node: node.status,
      store: node.store.description,
      startedAt: node.startedAt,
      uptimeSec: process.uptime(),
      recovered: node.recoveredFrom ?? null,
      counters: { ...node.counters },
      strategies: node.strategies().length,
      instruments: node.instrumentIds(),
    }),
  );
  api.get(
    '/system/config',
    {
      config: { role: 'admin' },
      schema: routeSchema({
        tags: ['system'],
        summary: 'Effective configuration, credentials redacted (admin)',
        response: z.record(z.string(), z.unknown()),
      }),
    },
    async () => redact(ctx.config as Record<string, unknown>),
  );
  const logQuery = z.object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    limit: z.number().int().min(1).max(2000).default(200),
  });
  api.get<{ Querystring: z.infer<typeof logQuery> }>(
    '/system/logs',
    {
      config: { role: 'admin' },
      schema: routeSchema({
        tags: ['system'],
        summary: 'Recent node log lines, credentials redacted (admin)',
        query: logQuery,
        response: z.array(
          z.object({
            ts: z.string(),
            level: z.string(),
            msg: z.string(),
            data: z.record(z.string(), z.unknown()).optional(),
          }),
        ),
      }),
    },
    async (req) => ctx.logs.recent(req.query),
  );
}
