import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BarSeries,
  Order,
  TickerError,
  clientOrderId,
  fillId,
  instrumentId,
  orderId,
  strategyId,
  type Fill,
} from '../../src/model/index.js';
import { Position } from '../../src/model/position.js';
import {
  ExecutionJournal,
  type SqlClient,
  bookUpdateWriter,
  finishBacktestRun,
  listBarSeries,
  loadAccountHistory,
  loadBacktestRun,
  loadBars,
  loadBarsCached,
  loadBookUpdates,
  loadFundingRates,
  loadInstruments,
  loadTrades,
  migrate,
  recordExecution,
  saveBars,
  saveBookSnapshots,
  saveBookUpdates,
  saveFundingRates,
  saveInstrument,
  saveStrategyConfig,
  saveTrades,
  startBacktestRun,
} from '../../src/storage/index.js';

const T0 = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z in µs
const MIN = 60_000_000;
const BTC = 'BTCUSDT.BINANCE';

export function bars(n: number, start = 0, id = BTC): BarSeries {
  const rows = [];
  for (let i = start; i < start + n; i++) {
    const c = 42_000 + Math.sin(i) * 100 + 0.1 + 0.2; // not exactly representable: round-trip must be exact anyway
    rows.push({
      ts: T0 + i * MIN,
      open: c - 1.25,
      high: c + 3,
      low: c - 4.5e-7,
      close: c,
      volume: i * 1e-9 + 0.3,
    });
  }
  return BarSeries.fromRows(instrumentId(id), rows);
}

/**
 * The storage contract: every store (PGlite and a PostgreSQL server) must pass it. `open` returns a
 * fresh, migrated client on its own schema; `dispose` removes what the run created.
 */
export function storageContract(
  name: string,
  open: () => Promise<SqlClient>,
  dispose: (c: SqlClient) => Promise<void>,
): void {
  describe(`storage contract: ${name}`, () => {
    let db: SqlClient;
    let cacheDir: string;
    beforeAll(async () => {
      db = await open();
      cacheDir = mkdtempSync(join(tmpdir(), 'tickerml-cache-'));
    });
    afterAll(async () => {
      rmSync(cacheDir, { recursive: true, force: true });
      if (db) await dispose(db);
    });

    it('migrates once and records every version', async () => {
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      expect(again.current).toBe(3);
      const layout = await db.query<{ value: string }>(
        `SELECT value FROM store_settings WHERE key = 'time_layout'`,
      );
      expect(['brin', 'timescaledb']).toContain(layout[0]!.value);
    });

    it('round-trips bars exactly and reads ranges [from, to)', async () => {
      const s = bars(1000);
      expect(await saveBars(db, s, '1m', { batchSize: 300 })).toEqual({ inserted: 1000, skipped: 0 });
      const all = await loadBars(db, { instrumentId: BTC, timeframe: '1m' });
      expect(all.length).toBe(1000);
      expect(Array.from(all.close)).toEqual(Array.from(s.close));
      expect(Array.from(all.low)).toEqual(Array.from(s.low));
      expect(Array.from(all.volume)).toEqual(Array.from(s.volume));
      expect(Array.from(all.ts)).toEqual(Array.from(s.ts));
      const part = await loadBars(db, {
        instrumentId: BTC,
        timeframe: '1m',
        from: T0 + 10 * MIN,
        to: T0 + 20 * MIN,
      });
      expect(part.length).toBe(10);
      expect(part.ts[0]).toBe(T0 + 10 * MIN);
      expect(part.ts[9]).toBe(T0 + 19 * MIN);
      const paged = await loadBars(db, { instrumentId: BTC, timeframe: '1m' }, { pageSize: 300 });
      expect(Array.from(paged.ts)).toEqual(Array.from(s.ts));
      expect(Array.from(paged.high)).toEqual(Array.from(s.high));
      const none = await loadBars(db, { instrumentId: 'NOPE', timeframe: '1m' });
      expect(none.length).toBe(0);
    });

    it('never duplicates bars when an import is re-run or overlaps', async () => {
      expect(await saveBars(db, bars(1000), '1m')).toEqual({ inserted: 0, skipped: 1000 });
      expect(await saveBars(db, bars(500, 800), '1m')).toEqual({ inserted: 300, skipped: 200 });
      const list = await listBarSeries(db, BTC);
      expect(list).toEqual([
        { instrumentId: BTC, timeframe: '1m', rows: 1300, firstTs: T0, lastTs: T0 + 1299 * MIN, revision: 5 },
      ]);
      const n = await db.query<{ n: number }>(`SELECT count(*) AS n FROM bars WHERE instrument_id = $1`, [
        BTC,
      ]);
      expect(n[0]!.n).toBe(1300);
    });

    it('keeps timeframes apart', async () => {
      await saveBars(db, bars(10), '1h');
      expect((await loadBars(db, { instrumentId: BTC, timeframe: '1h' })).length).toBe(10);
      expect((await listBarSeries(db)).map((s) => `${s.timeframe}:${s.rows}`)).toEqual(['1h:10', '1m:1300']);
    });

    it('serves repeated loads from the columnar cache until new bars arrive', async () => {
      const range = { instrumentId: 'ETHUSDT.BINANCE', timeframe: '1m' };
      await saveBars(db, bars(100, 0, range.instrumentId), '1m');
      const first = await loadBarsCached(db, range, { dir: cacheDir });
      const second = await loadBarsCached(db, range, { dir: cacheDir });
      expect([first.source, second.source]).toEqual(['store', 'cache']);
      expect(Array.from(second.series.close)).toEqual(Array.from(first.series.close));
      await saveBars(db, bars(10, 100, range.instrumentId), '1m');
      const third = await loadBarsCached(db, range, { dir: cacheDir });
      expect(third.source).toBe('store');
      expect(third.series.length).toBe(110);
    });

    it('stores trades once, keeps the aggressor, and reads them back in order', async () => {
      const t = (i: number, aggressor: 1 | -1 | 0) => ({
        instrumentId: BTC,
        ts: T0 + i,
        tsRecv: T0 + i + 150,
        tradeId: 1000 + i,
        price: 42_000.5 + i,
        size: 0.001 * (i + 1),
        aggressor,
      });
      expect(await saveTrades(db, [t(1, 1), t(2, -1), t(3, 0)])).toBe(3);
      expect(await saveTrades(db, [t(1, 1), t(2, -1), t(3, 0), t(4, 1)])).toBe(1);
      const back = await loadTrades(db, { instrumentId: BTC });
      expect(back.map((r) => [r.tradeId, r.aggressor, r.price, r.tsRecv])).toEqual([
        ['1001', 1, 42_001.5, T0 + 151],
        ['1002', -1, 42_002.5, T0 + 152],
        ['1003', 0, 42_003.5, T0 + 153],
        ['1004', 1, 42_004.5, T0 + 154],
      ]);
    });

    it('stores book deltas and snapshots with JSONB levels, mid and spread', async () => {
      const u = {
        instrumentId: BTC,
        ts: T0 + 5,
        tsRecv: T0 + 9,
        sequence: 77,
        bids: [
          [100.5, 2],
          [100, 0],
        ] as const,
        asks: [[101, 1.5]] as const,
        mid: 100.75,
        spread: 0.5,
      };
      expect(await saveBookUpdates(db, [u])).toBe(1);
      expect(
        await saveBookUpdates(db, [
          u,
          { ...u, sequence: 78, bids: [], asks: [[101, 0]] as const, mid: undefined, spread: undefined },
        ]),
      ).toBe(1);
      const back = await loadBookUpdates(db, { instrumentId: BTC });
      expect(back).toEqual([
        {
          instrumentId: BTC,
          ts: T0 + 5,
          tsRecv: T0 + 9,
          sequence: 77,
          bids: [
            [100.5, 2],
            [100, 0],
          ],
          asks: [[101, 1.5]],
          mid: 100.75,
          spread: 0.5,
        },
        { instrumentId: BTC, ts: T0 + 5, tsRecv: T0 + 9, sequence: 78, bids: [], asks: [[101, 0]] },
      ]);
      const snap = {
        instrumentId: instrumentId(BTC),
        ts: T0,
        tsRecv: T0 + 3,
        sequence: 70,
        bidPrices: [100, 99.5],
        bidSizes: [1, 2],
        askPrices: [100.5],
        askSizes: [3],
      };
      expect(await saveBookSnapshots(db, [snap, snap])).toBe(1);
      const row = await db.query<{ mid: number; spread: number; bids: unknown }>(
        `SELECT mid, spread, bids FROM book_snapshots WHERE seq = 70`,
      );
      expect(row).toEqual([
        {
          mid: 100.25,
          spread: 0.5,
          bids: [
            [100, 1],
            [99.5, 2],
          ],
        },
      ]);
    });

    it('ingests a stream of book updates through the backpressured writer without loss or duplicates', async () => {
      const w = bookUpdateWriter(db, { batchSize: 400, flushAfterMs: 0 });
      let maxBuffered = 0;
      for (let i = 0; i < 5000; i++) {
        await w.write({
          instrumentId: 'SOLUSDT.BINANCE',
          ts: T0 + i * 100,
          sequence: i,
          bids: [[20 + (i % 7) * 0.01, 1 + i]],
          asks: [],
        });
        maxBuffered = Math.max(maxBuffered, w.buffered);
      }
      await w.close();
      expect(maxBuffered).toBeLessThanOrEqual(400);
      expect(w.rowsWritten).toBe(5000);
      const n = await db.query<{ n: number; s: number }>(
        `SELECT count(*) AS n, count(DISTINCT seq) AS s FROM book_deltas WHERE instrument_id = 'SOLUSDT.BINANCE'`,
      );
      expect(n[0]).toEqual({ n: 5000, s: 5000 });
    });

    it('stores funding rates once', async () => {
      const f = { instrumentId: BTC, ts: T0, rate: 0.0001, fundingTs: T0 + 8 * 3600e6, markPrice: 42_000.1 };
      expect(
        await saveFundingRates(db, [
          f,
          { ...f, ts: T0 + 1, rate: -0.00005, fundingTs: undefined, markPrice: undefined },
        ]),
      ).toBe(2);
      expect(await saveFundingRates(db, [f])).toBe(0);
      expect(await loadFundingRates(db, { instrumentId: BTC })).toEqual([
        { instrumentId: BTC, ts: T0, rate: 0.0001, fundingTs: T0 + 8 * 3600e6, markPrice: 42_000.1 },
        { instrumentId: BTC, ts: T0 + 1, rate: -0.00005 },
      ]);
    });

    it('writes an order, its fill, the position and a snapshot in one transaction', async () => {
      const { order, fill, position } = executed('run-1', 1);
      const snapshot = {
        ts: fill.ts,
        cash: 9_580,
        totalValue: 10_000,
        positions: { [BTC]: { quantity: 0.01 } },
        dailyPnl: 0,
        maxDrawdown: 0,
      };
      await recordExecution(db, { accountId: 'run-1', order, fill, position, snapshot });
      await recordExecution(db, { accountId: 'run-1', order, fill, position, snapshot }); // replay: no duplicates
      const h = await loadAccountHistory(db, 'run-1');
      expect(h.orders.map((o) => [o.id, o.status, o.filledQuantity])).toEqual([['O-1', 'filled', 0.01]]);
      expect(h.fills.map((f) => [f.id, f.price, f.quantity])).toEqual([['F-1', 42_000, 0.01]]);
      expect(h.positions.map((p) => [p.instrumentId, p.quantity, p.averagePrice])).toEqual([
        [BTC, 0.01, 42_000],
      ]);
      expect(h.snapshots).toEqual([
        {
          ts: fill.ts,
          cash: 9_580,
          totalValue: 10_000,
          positions: { [BTC]: { quantity: 0.01 } },
          dailyPnl: 0,
          maxDrawdown: 0,
        },
      ]);
    });

    it('leaves nothing half-written when any part of an execution event fails', async () => {
      const { order, fill, position } = executed('run-2', 1);
      const bad = { ...fill, liquidity: 'neither' as Fill['liquidity'] }; // violates a CHECK after the order row was written
      await expect(recordExecution(db, { accountId: 'run-2', order, fill: bad, position })).rejects.toThrow();
      const h = await loadAccountHistory(db, 'run-2');
      expect([h.orders.length, h.fills.length, h.positions.length]).toEqual([0, 0, 0]);
    });

    it('journals events in order without blocking and never lets an older order state win', async () => {
      const j = new ExecutionJournal(db);
      const { order, fill, position } = executed('run-3', 1);
      const accepted = {
        ...order.toJSON(),
        status: 'accepted' as const,
        filledQuantity: 0,
        updatedAt: order.createdAt,
      };
      j.record({ accountId: 'run-3', order: accepted });
      j.record({ accountId: 'run-3', order, fill, position });
      await j.flush();
      expect(j.written).toBe(2);
      await recordExecution(db, { accountId: 'run-3', order: accepted }); // a late, older update
      const h = await loadAccountHistory(db, 'run-3');
      expect(h.orders.map((o) => o.status)).toEqual(['filled']);
    });

    it('versions strategy configs and records backtest runs', async () => {
      const v1 = await saveStrategyConfig(db, {
        id: 'sma',
        strategy: 'sma-cross',
        params: { fast: 10, slow: 20 },
      });
      const same = await saveStrategyConfig(db, {
        id: 'sma',
        strategy: 'sma-cross',
        params: { slow: 20, fast: 10 },
      });
      const v2 = await saveStrategyConfig(db, {
        id: 'sma',
        strategy: 'sma-cross',
        params: { fast: 5, slow: 20 },
      });
      expect([v1, same, v2]).toEqual([1, 1, 2]);
      await startBacktestRun(db, {
        id: 'bt-1',
        config: { cash: 10_000 },
        strategyConfig: { id: 'sma', version: v2 },
        fromTs: T0,
        toTs: T0 + MIN,
        seed: 7,
      });
      await expect(startBacktestRun(db, { id: 'bt-1', config: {} })).rejects.toMatchObject({
        code: 'RUN_EXISTS',
      });
      await finishBacktestRun(db, 'bt-1', { stats: { sharpe: 1.25 } });
      expect(await loadBacktestRun(db, 'bt-1')).toEqual({
        id: 'bt-1',
        status: 'finished',
        config: { cash: 10_000 },
        stats: { sharpe: 1.25 },
        error: null,
        strategyConfigId: 'sma',
        strategyConfigVersion: 2,
      });
      await expect(finishBacktestRun(db, 'bt-x', { error: 'boom' })).rejects.toMatchObject({
        code: 'RUN_NOT_FOUND',
      });
    });

    it('stores instruments with their full spec', async () => {
      const spec = {
        id: BTC,
        kind: 'spot' as const,
        base: 'BTC',
        quote: 'USDT',
        tickSize: 0.01,
        lotSize: 0.00001,
        takerFee: 0.001,
      };
      await saveInstrument(db, spec);
      await saveInstrument(db, { ...spec, takerFee: 0.00075 });
      expect(await loadInstruments(db)).toEqual([{ ...spec, takerFee: 0.00075 }]);
    });

    it('refuses bad input with TickerError naming the field', async () => {
      await expect(saveBars(db, bars(1), '1 minute')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'timeframe',
      });
      const nan = {
        instrumentId: BTC,
        ts: T0,
        tradeId: 'x',
        price: Number.NaN,
        size: 1,
        aggressor: 1 as const,
      };
      await expect(saveTrades(db, [nan])).rejects.toMatchObject({ field: 'trade.price' });
      await expect(saveTrades(db, [{ ...nan, price: 1, ts: 1.5 }])).rejects.toBeInstanceOf(TickerError);
    });

    it('lets concurrent writers of the same rows store each row once', async () => {
      const rows = Array.from({ length: 300 }, (_, i) => ({
        instrumentId: 'XRPUSDT.BINANCE',
        ts: T0 + i,
        tradeId: i,
        price: 0.5,
        size: 10,
        aggressor: 1 as const,
      }));
      const counts = await Promise.all([
        saveTrades(db, rows),
        saveTrades(db, rows.slice(100)),
        saveTrades(db, rows.slice(0, 200)),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
      const n = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM trades WHERE instrument_id = 'XRPUSDT.BINANCE'`,
      );
      expect(n[0]!.n).toBe(300);
    });
  });
}

function executed(account: string, i: number): { order: Order; fill: Fill; position: Position } {
  const ts = T0 + i * MIN;
  const order = new Order({
    id: orderId(`O-${i}`),
    clientOrderId: clientOrderId(`${account}-C-${i}`),
    instrumentId: instrumentId(BTC),
    strategyId: strategyId('sma'),
    side: 'buy',
    type: 'market',
    quantity: 0.01,
    ts,
  });
  order.transition('submitted', ts);
  order.applyFill(0.01, 42_000, ts + 1);
  const fill: Fill = {
    id: fillId(`F-${i}`),
    orderId: order.id,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    side: 'buy',
    quantity: 0.01,
    price: 42_000,
    fee: 0.42,
    feeCurrency: 'USDT',
    liquidity: 'taker',
    ts: ts + 1,
    realizedPnl: 0,
  };
  const position = new Position(instrumentId(BTC), 5);
  position.applyFill(0.01, 42_000, ts + 1);
  return { order, fill, position };
}
