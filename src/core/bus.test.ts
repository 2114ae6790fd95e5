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
});
