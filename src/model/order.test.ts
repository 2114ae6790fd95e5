import { describe, expect, it } from 'vitest';
import { TickerError } from './errors.js';
import { clientOrderId, instrumentId, orderId, strategyId } from './ids.js';
import { Order, type OrderInit, canTransition } from './order.js';

const base: OrderInit = {
  id: orderId('O-1'),
  clientOrderId: clientOrderId('c-1'),
  instrumentId: instrumentId('BTCUSDT.BINANCE'),
  strategyId: strategyId('s'),
  side: 'buy',
  type: 'limit',
  quantity: 2,
  price: 100,
  ts: 1,
};

describe('Order state machine', () => {
  it('walks the happy path initialized → submitted → accepted → partially filled → filled', () => {
    const o = new Order(base);
    expect(o.status).toBe('initialized');
    o.transition('submitted', 2);
    o.transition('accepted', 3);
    o.applyFill(0.5, 100, 4);
    expect(o.status).toBe('partially-filled');
    expect(o.remaining).toBe(1.5);
    o.applyFill(1.5, 99, 5);
    expect(o.status).toBe('filled');
    expect(o.averageFillPrice).toBeCloseTo(99.25, 12);
    expect(o.isTerminal).toBe(true);
  });

  it('rejects invalid transitions with INVALID_TRANSITION naming both states', () => {
    const o = new Order(base);
    expect(() => o.transition('filled', 2)).toThrowError(/cannot go from initialized to filled/);
    o.transition('submitted', 2);
    o.transition('rejected', 3, 'insufficient margin');
    expect(o.reason).toBe('insufficient margin');
    try {
      o.transition('accepted', 4);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TickerError);
      expect((e as TickerError).code).toBe('INVALID_TRANSITION');
    }
  });

  it('lets a fill win the race against a pending cancel, and terminal states stay terminal', () => {
    expect(canTransition('pending-cancel', 'filled')).toBe(true);
    expect(canTransition('pending-cancel', 'canceled')).toBe(true);
    for (const t of ['denied', 'rejected', 'filled', 'canceled', 'expired'] as const)
      for (const to of ['submitted', 'accepted', 'filled', 'canceled'] as const)
        expect(canTransition(t, to)).toBe(false);
    expect(canTransition('initialized', 'denied')).toBe(true);
    expect(canTransition('accepted', 'triggered')).toBe(true);
    expect(canTransition('accepted', 'expired')).toBe(true);
  });

  it('refuses overfills and validates prices by type', () => {
    const o = new Order(base);
    o.transition('submitted', 2);
    expect(() => o.applyFill(3, 100, 3)).toThrowError(/exceeds/);
    expect(() => new Order({ ...base, type: 'limit', price: undefined })).toThrowError(/order.price/);
    expect(() => new Order({ ...base, type: 'stop-limit', triggerPrice: undefined })).toThrowError(
      /order.triggerPrice/,
    );
    expect(() => new Order({ ...base, type: 'market', postOnly: true })).toThrowError(/post-only/);
    expect(() => new Order({ ...base, quantity: -1 })).toThrowError(/order.quantity/);
    expect(new Order({ ...base, type: 'market', price: undefined }).timeInForce).toBe('IOC');
  });
});

describe('Order numbers and ids', () => {
  it('keeps its numbers behind accessors (prices undefined when not given) and copies with toJSON', () => {
    const o = new Order({ ...base, type: 'market', price: undefined, sizingFraction: 0.5 });
    expect(o.price).toBeUndefined();
    expect(o.triggerPrice).toBeUndefined();
    expect(o.sizingFraction).toBe(0.5);
    o.quantity = 3;
    o.price = 101;
    expect([o.quantity, o.price, o.createdAt, o.updatedAt]).toEqual([3, 101, 1, 1]);
    o.transition('submitted', 7);
    expect(o.updatedAt).toBe(7);
    // Orders made in a row each have their own numbers.
    const other = new Order(base);
    expect([other.quantity, other.price]).toEqual([2, 100]);
    expect(o.toJSON()).toMatchObject({
      id: 'O-1',
      quantity: 3,
      price: 101,
      status: 'submitted',
      updatedAt: 7,
    });
    expect(JSON.parse(JSON.stringify(o)).quantity).toBe(3);
  });

  it('spells a numbered id on first read; the client order id defaults to it', () => {
    let spelled = 0;
    const o = new Order({
      ...base,
      id: undefined,
      clientOrderId: undefined,
      idNumber: 42,
      spellId: (n) => {
        spelled++;
        return `O-x-${n}`;
      },
    });
    expect(spelled).toBe(0);
    expect(o.id).toBe('O-x-42');
    expect(o.id).toBe('O-x-42');
    expect(o.clientOrderId).toBe('O-x-42');
    expect(spelled).toBe(1);
    expect(() => new Order({ ...base, id: undefined })).toThrowError(/order\.id/);
  });
});

describe('Order choices', () => {
  it('reads back side, type, time in force, post-only and reduce-only as given, and refuses unknown ones', () => {
    const o = new Order({
      ...base,
      side: 'sell',
      type: 'limit',
      timeInForce: 'FOK',
      postOnly: true,
      reduceOnly: true,
    });
    expect([o.side, o.type, o.timeInForce, o.postOnly, o.reduceOnly, o.sign]).toEqual([
      'sell',
      'limit',
      'FOK',
      true,
      true,
      -1,
    ]);
    const m = new Order({ ...base, type: 'stop-market', price: undefined, triggerPrice: 90 });
    expect([m.side, m.type, m.timeInForce, m.postOnly, m.reduceOnly, m.sign]).toEqual([
      'buy',
      'stop-market',
      'GTC',
      false,
      false,
      1,
    ]);
    expect([m.status, m.isOpen, m.isTerminal]).toEqual(['initialized', false, false]);
    m.transition('submitted', 2);
    expect([m.status, m.isOpen, m.isTerminal]).toEqual(['submitted', true, false]);
    m.transition('canceled', 3);
    expect([m.status, m.isOpen, m.isTerminal]).toEqual(['canceled', false, true]);
    expect(() => new Order({ ...base, type: 'iceberg' as never })).toThrowError(/order\.type/);
    expect(() => new Order({ ...base, timeInForce: 'GTD' as never })).toThrowError(/order\.timeInForce/);
  });
});
