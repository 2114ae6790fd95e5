import { describe, expect, it } from 'vitest';
import { MessageBus } from './bus.js';

describe('MessageBus', () => {
  it('delivers to exact subscribers in subscription order', () => {
    const bus = new MessageBus();
    const got: string[] = [];
    bus.subscribe<number>('a.b', (m) => got.push(`1:${m}`));
    bus.subscribe<number>('a.b', (m) => got.push(`2:${m}`));
    bus.publish('a.b', 7);
    bus.publish('a.c', 8);
    expect(got).toEqual(['1:7', '2:7']);
  });

  it('matches wildcard patterns for existing and future topics', () => {
    const bus = new MessageBus();
    bus.topic('orders.S1');
    const got: unknown[] = [];
    bus.subscribe('orders.*', (m) => got.push(m));
    bus.publish('orders.S1', 1);
    bus.publish('orders.S2', 2);
    bus.publish('fills.S1', 3);
    expect(got).toEqual([1, 2]);
  });

  it('unsubscribes, even during dispatch, without disturbing the running loop', () => {
    const bus = new MessageBus();
    const got: string[] = [];
    const off = bus.subscribe('t', () => {
      got.push('a');
      off();
    });
    bus.subscribe('t', () => got.push('b'));
    bus.publish('t', null);
    bus.publish('t', null);
    expect(got).toEqual(['a', 'b', 'b']);
  });

  it("calls a shared method with each subscriber's own this, and unsubscribes only that one", () => {
    class Counter {
      n = 0;
      constructor(readonly name: string) {}
      onMsg(m: number): void {
        this.n += m;
      }
    }
    const bus = new MessageBus();
    const a = new Counter('a');
    const b = new Counter('b');
    const offA = bus.subscribe<number>('t', Counter.prototype.onMsg, a);
    bus.subscribe<number>('t', Counter.prototype.onMsg, b);
    const offW = bus.subscribe<number>('t*', Counter.prototype.onMsg, b);
    bus.publish('t', 2);
    expect([a.n, b.n]).toEqual([2, 4]);
    offA();
    bus.publish('t', 3);
    expect([a.n, b.n]).toEqual([2, 10]);
    offW();
    bus.publish('t', 1);
    expect([a.n, b.n]).toEqual([2, 11]);
    expect(bus.topic('t').handlers).toHaveLength(bus.topic('t').selves.length);
  });
});
