import { describe, expect, it } from 'vitest';
import { OBV, RollingVWAP, SessionVWAP } from './index.js';

const DAY = 86_400_000_000;

describe('SessionVWAP', () => {
  it('weights the typical price by volume: (10·1 + 20·3) / 4 = 17.5', () => {
    const v = new SessionVWAP();
    v.update(12, 8, 10, 1); // typical price (12 + 8 + 10) / 3 = 10
    expect(v.value).toBe(10);
    v.update(21, 19, 20, 3);
    expect(v.value).toBe(17.5);
  });

  it('restarts when the timestamp crosses into a new session, and on newSession()', () => {
    const v = new SessionVWAP({ price: 'close' });
    v.update(0, 0, 10, 1, 10 * DAY + 1);
    v.update(0, 0, 20, 1, 10 * DAY + 2);
    expect(v.value).toBe(15);
    v.update(0, 0, 40, 1, 11 * DAY);
    expect(v.value).toBe(40);
    v.newSession();
    expect(v.ready).toBe(false);
    v.update(0, 0, 50, 2);
    expect(v.value).toBe(50);
  });

  it('sessions can start at an offset (13:30 UTC): 13:29 and 13:31 fall in different sessions', () => {
    const open = 13.5 * 3_600_000_000;
    const v = new SessionVWAP({ price: 'close', offsetUs: open });
    v.update(0, 0, 10, 1, 5 * DAY + open - 60_000_000);
    v.update(0, 0, 30, 1, 5 * DAY + open + 60_000_000);
    expect(v.value).toBe(30);
  });

  it('is not ready until the session trades volume', () => {
    const v = new SessionVWAP();
    v.update(10, 10, 10, 0);
    expect(v.ready).toBe(false);
    expect(v.value).toBeNaN();
    v.update(10, 10, 10, 5);
    expect(v.value).toBe(10);
  });
});

describe('RollingVWAP', () => {
  it('covers the last `period` bars: [(20, 3), (30, 1)] → 22.5', () => {
    const v = new RollingVWAP(2, { price: 'close' });
    v.update(0, 0, 10, 1);
    v.update(0, 0, 20, 3);
    v.update(0, 0, 30, 1);
    expect(v.value).toBe(22.5);
  });

  it('falls back to the mean price when the window has no volume', () => {
    const v = new RollingVWAP(2, { price: 'close' });
    v.update(0, 0, 10, 1);
    v.update(0, 0, 20, 0);
    v.update(0, 0, 40, 0);
    expect(v.value).toBe(30);
  });
});

describe('OBV', () => {
  it('adds volume on up closes, subtracts on down closes, keeps it on unchanged ones', () => {
    const o = new OBV();
    const out = [
      [10, 100],
      [11, 50],
      [11, 70],
      [9, 30],
    ].map(([c, v]) => o.update(c!, v!));
    expect(out).toEqual([100, 150, 150, 120]);
  });
});
