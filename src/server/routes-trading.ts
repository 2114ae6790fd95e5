import type { FastifyInstance } from 'fastify';
import type { NodeStrategy } from '../engine/node-strategy.js';
import { TickerError } from '../model/index.js';
import type { OrderRequest } from '../strategy/context.js';
import type { AppContext } from './app.js';
import { routeSchema, z } from './route-schema.js';
import {
  fillSchema,
  idParam,
  limitQuery,
  orderSchema,
  positionSchema,
  snapshotSchema,
  strategySchema,
  submitOrderBody,
} from './schemas.js';

const TRADING = ['trading'];

export function registerTradingRoutes(api: FastifyInstance, ctx: AppContext): void {
  const { node } = ctx;
  const k = node.kernel;
  const strategyView = (s: NodeStrategy) => ({
    id: s.id,
    name: s.registryName,
    enabled: s.enabled,
    failed: k.failed.get(s.id)?.message ?? null,
    instruments: s.ctx.instruments().map((i) => i.id as string),
    parameters: { ...s.parameters },
  });
  const need = (id: string): NodeStrategy => {
    const s = node.strategy(id);
    if (!s)
      throw new TickerError(
        'NOT_FOUND',
        `no strategy '${id}'; known: ${node
          .strategies()
          .map((x) => x.id)
          .join(', ')}`,
        { field: 'params.id', value: id },
      );
    return s;
  };

  // ---- strategies ----
  api.get(
    '/strategies',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['strategies'],
        summary: 'Strategies on the node',
        response: z.array(strategySchema),
      }),
    },
    async () => node.strategies().map(strategyView),
  );
  api.get<{ Params: { id: string } }>(
    '/strategies/:id',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['strategies'],
        summary: 'One strategy and its parameters',
        params: idParam,
        response: strategySchema,
      }),
    },
    async (req) => strategyView(need(req.params.id)),
  );
  api.post<{ Params: { id: string } }>(
    '/strategies/:id/start',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: ['strategies'],
        summary: 'Start a strategy',
        params: idParam,
        response: strategySchema,
      }),
    },
    async (req) => {
      need(req.params.id);
      const s = node.startStrategy(req.params.id);
      await node.store.flush();
      return strategyView(s);
    },
  );
  api.post<{ Params: { id: string } }>(
    '/strategies/:id/stop',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: ['strategies'],
        summary: 'Stop a strategy (cancels its open orders; positions stay)',
        params: idParam,
        response: strategySchema,
      }),
    },
    async (req) => {
      need(req.params.id);
      const s = node.stopStrategy(req.params.id);
      await node.store.flush();
      return strategyView(s);
    },
  );
  api.put<{ Params: { id: string }; Body: { parameters: Record<string, unknown> } }>(
    '/strategies/:id/parameters',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: ['strategies'],
        summary: 'Change parameters (validated by the strategy; indicators warm up again)',
        params: idParam,
        body: z
          .object({ parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])) })
          .strict(),
        response: strategySchema,
      }),
    },
    async (req) => {
      need(req.params.id);
      try {
        node.setStrategyParameters(req.params.id, req.body.parameters);
      } catch (e) {
        if (e instanceof TickerError && e.field)
          throw new TickerError(e.code, e.message, {
            field: `body.parameters.${e.field.replace(/^param\./, '')}`,
            value: e.value,
          });
        throw e;
      }
      await node.store.flush();
      return strategyView(need(req.params.id));
    },
  );

  // ---- portfolio ----
  const summary = z.object({
    currency: z.string(),
    startingCash: z.number(),
    cash: z.number(),
    equity: z.number(),
    pnl: z.number(),
    returnPct: z.number(),
    grossExposure: z.number(),
    drawdownPct: z.number(),
    highWaterMark: z.number(),
    positions: z.array(positionSchema),
    replay: z.boolean(),
  });
  api.get(
    '/portfolio',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['portfolio'],
        summary: 'Equity, cash, P&L, drawdown, exposure',
        response: summary,
      }),
    },
    async () => {
      const p = k.portfolio;
      const equity = p.equity();
      const hwm = Math.max(k.riskMonitor.highWaterMark || 0, equity, p.startingCash);
      return {
        currency: p.baseCurrency,
        startingCash: p.startingCash,
        cash: p.cash(),
        equity,
        pnl: equity - p.startingCash,
        returnPct: (equity / p.startingCash - 1) * 100,
        grossExposure: p.grossExposure(),
        drawdownPct: hwm > 0 ? (1 - equity / hwm) * 100 : 0,
        highWaterMark: hwm,
        positions: node.positions(),
        replay: node.feed.kind === 'replay',
      };
    },
  );
  api.get<{ Querystring: { limit: number } }>(
    '/portfolio/history',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['portfolio'],
        summary: 'Equity snapshots, one per bar (newest last)',
        query: limitQuery,
        response: z.array(snapshotSchema.omit({ positions: true, cursors: true })),
      }),
    },
    async (req) =>
      node
        .history(req.query.limit)
        .map(({ ts, step, cash, equity, grossExposure }) => ({ ts, step, cash, equity, grossExposure })),
  );
  api.get(
    '/positions',
    {
      config: { role: 'viewer' },
      schema: routeSchema({ tags: ['portfolio'], summary: 'Positions', response: z.array(positionSchema) }),
    },
    async () => node.positions(),
  );

  // ---- orders and fills ----
  const orderQuery = z.object({
    status: z.enum(['open', 'closed']).optional(),
    strategyId: z.string().optional(),
    instrumentId: z.string().optional(),
    limit: z.number().int().min(1).max(10_000).default(500),
  });
  api.get<{ Querystring: z.infer<typeof orderQuery> }>(
    '/orders',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: TRADING,
        summary: 'Orders (newest last)',
        query: orderQuery,
        response: z.array(orderSchema),
      }),
    },
    async (req) => node.orders(req.query),
  );
  api.get<{ Params: { id: string } }>(
    '/orders/:id',
    {
      config: { role: 'viewer' },
      schema: routeSchema({ tags: TRADING, summary: 'One order', params: idParam, response: orderSchema }),
    },
    async (req) => {
      const o = node.order(req.params.id);
      if (!o)
        throw new TickerError('NOT_FOUND', `no order '${req.params.id}'`, {
          field: 'params.id',
          value: req.params.id,
        });
      return o;
    },
  );
  api.post<{ Body: z.infer<typeof submitOrderBody> }>(
    '/orders',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: TRADING,
        summary:
          'Submit an order (risk-checked; a denial is status "denied" with the reason, HTTP 201 either way)',
        body: submitOrderBody,
        response: orderSchema,
        status: 201,
      }),
    },
    async (req, reply) => {
      const b = req.body;
      if ((b.type === 'limit' || b.type === 'stop-limit') && b.price === undefined)
        throw new TickerError('INVALID_ARGUMENT', `body.price: a ${b.type} order needs a price`, {
          field: 'body.price',
        });
      if ((b.type === 'stop-market' || b.type === 'stop-limit') && b.triggerPrice === undefined)
        throw new TickerError(
          'INVALID_ARGUMENT',
          `body.triggerPrice: a ${b.type} order needs a triggerPrice`,
          { field: 'body.triggerPrice' },
        );
      if (!node.instrumentIds().includes(b.instrumentId))
        throw new TickerError(
          'INVALID_ARGUMENT',
          `body.instrumentId: '${b.instrumentId}' is not traded here; known: ${node.instrumentIds().join(', ')}`,
          { field: 'body.instrumentId', value: b.instrumentId },
        );
      let rec;
      try {
        rec = node.submitOrder({ ...b, tag: `api:${req.user!.sub}` } as OrderRequest);
      } catch (e) {
        if (e instanceof TickerError && e.field)
          throw new TickerError(e.code, e.message, {
            field: `body.${e.field.replace(/^order\./, '')}`,
            value: e.value,
          });
        throw e;
      }
      // Acknowledged only once the store holds it.
      await node.store.flush();
      return reply.code(201).send(rec);
    },
  );
  api.delete<{ Params: { id: string } }>(
    '/orders/:id',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: TRADING,
        summary: 'Cancel an open order',
        params: idParam,
        response: orderSchema,
      }),
    },
    async (req) => {
      const rec = node.cancelOrder(req.params.id, `canceled via API by ${req.user!.sub}`);
      if (!rec)
        throw new TickerError('NOT_FOUND', `no order '${req.params.id}'`, {
          field: 'params.id',
          value: req.params.id,
        });
      await node.store.flush();
      return node.order(req.params.id) ?? rec;
    },
  );
  api.delete<{ Querystring: { instrumentId?: string } }>(
    '/orders',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: TRADING,
        summary: 'Cancel all open orders (optionally of one instrument)',
        query: z.object({ instrumentId: z.string().optional() }),
        response: z.object({ canceled: z.number() }),
      }),
    },
    async (req) => {
      const canceled = node.cancelAll(req.query.instrumentId, `canceled via API by ${req.user!.sub}`);
      await node.store.flush();
      return { canceled };
    },
  );
  api.get<{ Querystring: { limit: number } }>(
    '/fills',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: TRADING,
        summary: 'Fills (our trades), newest last',
        query: limitQuery,
        response: z.array(fillSchema),
      }),
    },
    async (req) => node.fills(req.query.limit),
  );

  // ---- risk ----
  api.get(
    '/risk/limits',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['risk'],
        summary: 'Configured risk limits (docs/RISK.md)',
        response: z.record(z.string(), z.unknown()),
      }),
    },
    async () => ({ ...k.risk.config }),
  );
  const riskState = z.object({
    account: z.string(),
    reason: z.string(),
    killSwitch: z.boolean(),
    pausedInstruments: z.array(z.string()),
    highWaterMark: z.number(),
    events: z.array(
      z.object({
        kind: z.string(),
        message: z.string(),
        ts: z.number(),
        instrumentId: z.string().optional(),
      }),
    ),
  });
  const riskView = () => ({
    account: k.risk.states.accountState(),
    reason: k.risk.states.reason(),
    killSwitch: k.riskMonitor.killSwitch.isTriggered,
    pausedInstruments: k.risk.states.pausedInstruments(),
    highWaterMark: k.riskMonitor.highWaterMark,
    events: k.riskMonitor.events.slice(-50).map((e) => ({
      kind: e.kind,
      message: e.message,
      ts: e.ts,
      ...(e.instrumentId ? { instrumentId: e.instrumentId } : {}),
    })),
  });
  api.get(
    '/risk/state',
    {
      config: { role: 'viewer' },
      schema: routeSchema({
        tags: ['risk'],
        summary: 'Trading state, kill switch, breakers',
        response: riskState,
      }),
    },
    async () => riskView(),
  );
  api.post<{ Body: { reason: string } }>(
    '/risk/kill-switch',
    {
      config: { role: 'trader' },
      schema: routeSchema({
        tags: ['risk'],
        summary: 'Trip the kill switch: cancel all orders, flatten, halt',
        body: z.object({ reason: z.string().min(1).max(200).default('kill switch via API') }).strict(),
        response: riskState,
      }),
    },
    async (req) => {
      node.killSwitch(`${req.body.reason} (by ${req.user!.sub})`);
      await node.store.flush();
      return riskView();
    },
  );
  api.post(
    '/risk/kill-switch/reset',
    {
      config: { role: 'admin' },
      schema: routeSchema({
        tags: ['risk'],
        summary: 'Reset the kill switch and resume trading (admin)',
        response: riskState,
      }),
    },
    async () => {
      node.resetKillSwitch();
      return riskView();
    },
  );
}
