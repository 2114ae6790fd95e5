import { describe, expect, it } from 'vitest';
import { TradingStates } from './trading-state.js';

describe('TradingStates.allActive', () => {
  it('is true only while the account, every strategy and every instrument are unrestricted', () => {
    const s = new TradingStates();
    expect(s.allActive).toBe(true);
    s.setStrategy('a', 'reducing', 'limit');
    s.setStrategy('b', 'halted', 'kill');
    expect(s.allActive).toBe(false);
    s.setStrategy('a', 'halted', 'worse');
    s.setStrategy('a', 'active');
    expect(s.allActive).toBe(false);
    s.setStrategy('b', 'active');
    expect(s.allActive).toBe(true);
    // Setting an active strategy active again does not count twice.
    s.setStrategy('b', 'active');
    s.setStrategy('c', 'active');
    expect(s.allActive).toBe(true);
    s.pause('BTC', 'price-jump');
    expect(s.allActive).toBe(false);
    s.resume('BTC');
    expect(s.allActive).toBe(true);
    s.setAccount('reducing', 'daily loss');
    expect(s.allActive).toBe(false);
    s.setAccount('active');
    expect(s.allActive).toBe(true);
  });
});
