import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FillRecord,
  type NodeRecord,
  type OrderRecord,
  type PortfolioSnapshot,
  type RecoveredState,
  recoverState,
} from '../../src/engine/trading-node-ports.js';
import type { UnixMicros } from '../../src/model/index.js';
import {
  type SqlClient,
  StoreStateStore,
  migrate,
  openPgliteClient,
  openPostgresClient,
} from '../../src/storage/index.js';
import { requireService } from '../support/services.js';

// The StateStore contract for the store-backed node state, against PGlite and a PostgreSQL server, each
// run in its own schema (dropped afterwards on the server).
const runSchema = `tickerml_test_nss_${process.pid}_${randomBytes(3).toString('hex')}`;

const us = (n: number) => n as UnixMicros;

function order(
  id: string,
  status: OrderRecord['status'],
  updatedAt: number,
  extra: Partial<OrderRecord> = {},
) {
  const o: OrderRecord = {
    id,
    clientOrderId: `c-${id}`,
    strategyId: 'fast-sma',
    instrumentId: 'GOOG',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    quantity: 10,
    price: 0.1 + 0.2, // not representable in few digits: must come back bit-exact
    triggerPrice: null,
    reduceOnly: false,
    status,
    filledQuantity: 0,
    averageFillPrice: 0,
    reason: null,
    tag: null,
    createdAt: us(1_700_000_000_000_000),
    updatedAt: us(updatedAt),
    ...extra,
  };
  return { type: 'order', order: o } as const satisfies NodeRecord;
}

function fill(id: string, orderId: string, ts: number, price: number, quantity = 3): NodeRecord {
  const f: FillRecord = {
    id,
    orderId,
    strategyId: 'fast-sma',
    instrumentId: 'GOOG',
    side: 'buy',
    quantity,
    price,
    fee: price * quantity * 0.001,
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts: us(ts),
  };
  return { type: 'fill', fill: f };
}

function snapshot(step: number, cash: number): NodeRecord {
  const s: PortfolioSnapshot = {
    ts: us(1_700_000_000_000_000 + step * 1000),
    step,
    cash,
    equity: cash + 1.5,
    grossExposure: 1e-7,
    positions: [
      {
        instrumentId: 'GOOG',
        quantity: 6,
        averagePrice: 100.25,
        lastPrice: 101.3,
        realizedPnl: 0,
        unrealizedPnl: 6.3,
        fees: 0.6,
      },
      {
        instrumentId: 'BTC',
        quantity: 0,
        averagePrice: 0,
        lastPrice: null,
        realizedPnl: -2,
        unrealizedPnl: 0,
        fees: 0,
      },
    ],
    cursors: { GOOG: step + 1, BTC: step },
  };
  return { type: 'snapshot', snapshot: s };
}

/** recoverState with snapshot positions sorted by id (the store returns them so). */
function recovered(records: readonly NodeRecord[]): RecoveredState {
  const st = recoverState(records);
  const sortSnap = (s: PortfolioSnapshot): PortfolioSnapshot => ({
    ...s,
    positions: [...s.positions].sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : 1)),
  });
  return {
    ...st,
    snapshots: st.snapshots.map(sortSnap),
    lastSnapshot: st.lastSnapshot && sortSnap(st.lastSnapshot),
  };
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

function stateStoreContract(
  name: string,
  open: () => Promise<SqlClient>,
  dispose: (c: SqlClient) => Promise<void>,
) {
  describe(`StoreStateStore on ${name}`, () => {
    let db: SqlClient;
    let n = 0;
    // Every test gets its own account, so tests never see each other's rows.
    const account = () => `test:${++n}`;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      if (db) await dispose(db);
    });

    it('commits appended records within one event-loop turn, without flush()', async () => {
      const acc = account();
      const store = new StoreStateStore(db, { accountId: acc });
      store.append(order('O-1', 'submitted', 1_700_000_000_000_000));
      store.append(snapshot(0, 1000));
      expect(store.pending).toBe(2);
      expect(store.writing).toBe(false);
      await nextTurn(); // on the next turn this turn's records are being written (or, PGlite, already are)
      expect(store.writing || store.pending === 0).toBe(true);
      for (let i = 0; i < 500 && store.pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(store.pending).toBe(0);
      const rows = await db.query(`SELECT status FROM orders WHERE account_id = $1`, [acc]);
      expect(rows).toEqual([{ status: 'submitted' }]);
      expect(store.batches).toBe(1); // both records in one transaction
      await store.close();
    });

    it('append, flush, load: recovery from the store equals recovery from the records', async () => {
      const acc = account();
      const records: NodeRecord[] = [
        { type: 'strategy', strategy: { id: 'fast-sma', enabled: true, params: { fast: 2, slow: 5 } } },
        order('O-1', 'submitted', 1_700_000_000_000_001),
        order('O-1', 'accepted', 1_700_000_000_000_002),
        fill('F-1', 'O-1', 1_700_000_000_000_003, 100.1),
        order('O-1', 'partially-filled', 1_700_000_000_000_003, {
          filledQuantity: 3,
          averageFillPrice: 100.1,
        }),
        snapshot(1, 998.2),
        fill('F-2', 'O-1', 1_700_000_000_000_003, 100.4),
        order('O-1', 'filled', 1_700_000_000_000_003, { filledQuantity: 6, averageFillPrice: 100.25 }),
        order('O-2', 'denied', 1_700_000_000_000_004, {
          reason: 'max order size',
          tag: 'entry',
          price: null,
        }),
        snapshot(2, 395.3),
        { type: 'strategy', strategy: { id: 'fast-sma', enabled: false, params: { fast: 3, slow: 5 } } },
      ];
      const store = new StoreStateStore(db, { accountId: acc });
      for (const r of records) store.append(r);
      await store.flush();
      expect(store.pending).toBe(0);
      const loaded = await store.load();
      expect(recovered(loaded)).toEqual(recovered(records));
      await store.close();
      // a new store on the same account (a restarted node) sees the same
      const again = new StoreStateStore(db, { accountId: acc });
      expect(recovered(await again.load())).toEqual(recovered(records));
      await again.close();
    });

    it('orders: the last write wins, also across batches and when its time is older', async () => {
      const acc = account();
      const store = new StoreStateStore(db, { accountId: acc });
      store.append(order('O-1', 'submitted', 1_700_000_000_000_010));
      store.append(order('O-1', 'accepted', 1_700_000_000_000_011));
      await store.flush();
      store.append(order('O-1', 'pending-cancel', 1_700_000_000_000_012));
      await store.flush();
      // a clock step back (wall clock): the journal's rule is append order, not time order
      store.append(order('O-1', 'canceled', 1_700_000_000_000_009, { reason: 'canceled via API' }));
      await store.flush();
      const orders = recoverState(await store.load()).orders;
      expect(orders.size).toBe(1);
      expect(orders.get('O-1')).toMatchObject({ status: 'canceled', reason: 'canceled via API' });
      await store.close();
    });

    it('re-flushing the same records is harmless: fills once, in their first order', async () => {
      const acc = account();
      const batch: NodeRecord[] = [
        order('O-1', 'accepted', 1_700_000_000_000_001),
        fill('F-1', 'O-1', 1_700_000_000_000_002, 10),
        fill('F-2', 'O-1', 1_700_000_000_000_002, 11),
        order('O-1', 'filled', 1_700_000_000_000_002, { filledQuantity: 6 }),
        snapshot(5, 900),
      ];
      const a = new StoreStateStore(db, { accountId: acc });
      for (const r of batch) a.append(r);
      await a.flush();
      // a batch whose commit was not confirmed is written again; the same fill twice in one batch too
      const b = new StoreStateStore(db, { accountId: acc });
      for (const r of [...batch, batch[1]!]) b.append(r);
      await b.flush();
      b.append(fill('F-3', 'O-1', 1_700_000_000_000_001, 12)); // older time, later record: stays last
      await b.flush();
      const st = recoverState(await b.load());
      expect(st.fills.map((f) => f.id)).toEqual(['F-1', 'F-2', 'F-3']);
      expect(st.snapshots).toHaveLength(1);
      const count = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM fills WHERE account_id = $1`,
        [acc],
      );
      expect(count[0]!.n).toBe(3);
      await a.close();
      await b.close();
    });

    it('keeps accounts apart and loads only the newest snapshots', async () => {
      const acc1 = account();
      const acc2 = account();
      const s1 = new StoreStateStore(db, { accountId: acc1, keepSnapshots: 3 });
      const s2 = new StoreStateStore(db, { accountId: acc2 });
      for (let i = 0; i < 10; i++) s1.append(snapshot(i, 1000 - i));
      s2.append(order('O-1', 'accepted', 1_700_000_000_000_001));
      await Promise.all([s1.flush(), s2.flush()]);
      const l1 = await s1.load();
      expect(l1.map((r) => (r.type === 'snapshot' ? r.snapshot.step : r.type))).toEqual([7, 8, 9]);
      expect((await s2.load()).map((r) => r.type)).toEqual(['order']);
      // the positions table mirrors the newest snapshot
      const pos = await db.query(
        `SELECT instrument_id, quantity, average_price FROM positions WHERE account_id = $1 ORDER BY instrument_id`,
        [acc1],
      );
      expect(pos).toEqual([
        { instrument_id: 'BTC', quantity: 0, average_price: 0 },
        { instrument_id: 'GOOG', quantity: 6, average_price: 100.25 },
      ]);
      await s1.close();
      await s2.close();
    });

    it('flush() rejects while the database fails, keeps the records, and commits them on a later flush', async () => {
      const acc = account();
      let failures = 1;
      const flaky = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === 'transaction')
            return <T>(fn: Parameters<SqlClient['transaction']>[0]) => {
              if (failures > 0) {
                failures--;
                return Promise.reject(new Error('connection reset'));
              }
              return target.transaction(fn) as Promise<T>;
            };
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const errors: unknown[] = [];
      const store = new StoreStateStore(flaky, {
        accountId: acc,
        onError: (e) => errors.push(e),
        retryMs: 60_000,
      });
      store.append(order('O-1', 'accepted', 1_700_000_000_000_001));
      await expect(store.flush()).rejects.toThrow('connection reset');
      expect(store.pending).toBe(1);
      expect(errors).toHaveLength(1);
      store.append(fill('F-1', 'O-1', 1_700_000_000_000_002, 10));
      await store.flush();
      expect(store.pending).toBe(0);
      const st = recoverState(await store.load());
      expect([...st.orders.keys()]).toEqual(['O-1']);
      expect(st.fills.map((f) => f.id)).toEqual(['F-1']);
      await store.close();
    });

    it('close() commits what is buffered', async () => {
      const acc = account();
      const store = new StoreStateStore(db, { accountId: acc });
      store.append(order('O-9', 'accepted', 1_700_000_000_000_001));
      await store.close();
      expect(() => store.append(order('O-9', 'filled', 1_700_000_000_000_002))).toThrow(/closed/);
      const rows = await db.query(`SELECT id FROM orders WHERE account_id = $1`, [acc]);
      expect(rows).toEqual([{ id: 'O-9' }]);
    });
  });
}

stateStoreContract(
  'PGlite (embedded, in memory)',
  async () => {
    const c = await openPgliteClient({ dataDir: 'memory', schema: runSchema });
    await migrate(c);
    return c;
  },
  (c) => c.close(),
);

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (await requireService('postgres')) {
  stateStoreContract(
    `PostgreSQL server (${pgUrl.replace(/:[^:@/]*@/, ':***@')})`,
    async () => {
      const c = await openPostgresClient({ url: pgUrl, schema: runSchema });
      await migrate(c);
      return c;
    },
    async (c) => {
      await c.exec(`DROP SCHEMA IF EXISTS "${runSchema}" CASCADE`);
      await c.close();
    },
  );
}
