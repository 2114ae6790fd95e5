import { describe, expect, it } from 'vitest';
import { Random } from '../core/index.js';
import { OrderBook } from '../book/index.js';
import { ASK, BID, TickerError, instrumentId } from '../model/index.js';
import {
  BookFeatures,
  KyleLambda,
  RealizedVolatility,
  TradeFlowImbalance,
  VPIN,
  bookImbalance,
  crossVenueSpreadBps,
  microprice,
  micropriceDeviationBps,
  spread,
  spreadBps,
} from './index.js';

describe('book features, by hand', () => {
  it('imbalance over 2 levels, decay ½: ((3 − 1) + ½(1 − 1)) / ((3 + 1) + ½(1 + 1)) = 0.4', () => {
    expect(bookImbalance([3, 1], [1, 1], 2, 0.5)).toBeCloseTo(0.4, 15);
    expect(bookImbalance([3, 1], [1, 1], 1)).toBeCloseTo(0.5, 15); // touch only
    expect(bookImbalance([2], [1, 1, 1], 3)).toBeCloseTo(-0.2, 15); // missing levels count as 0
    expect(bookImbalance([], [], 5)).toBe(0);
    expect(() => bookImbalance([1], [1], 0)).toThrow(TickerError);
  });

  it('micro-price leans toward the thin side: bid 100 × 3, ask 101 × 1 → 100.75', () => {
    expect(microprice(100, 3, 101, 1)).toBe(100.75);
    expect(micropriceDeviationBps(100, 3, 101, 1)).toBeCloseTo((0.25 / 100.5) * 1e4, 10);
    expect(microprice(100, 0, 101, 0)).toBe(100.5);
  });

  it('spread, spread in bps, cross-venue spread', () => {
    expect(spread(99.5, 100.5)).toBe(1);
    expect(spreadBps(99.5, 100.5)).toBeCloseTo(100, 12);
    expect(crossVenueSpreadBps(100, 100.2)).toBeCloseTo(20, 10);
  });
});

describe('TradeFlowImbalance', () => {
  it('window 3: (2 − 1 + 1) / 4 = 0.5, then (−1 + 1 − 4) / 6 = −2/3', () => {
    const t = new TradeFlowImbalance(3);
    t.update(1, 2);
    t.update(-1, 1);
    expect(t.ready).toBe(false);
    expect(t.update(1, 1)).toBe(0.5);
    expect(t.update(-1, 4)).toBeCloseTo(-2 / 3, 15);
  });
});

describe('RealizedVolatility', () => {
  it('√(ln(1.1)² + ln(0.9)²) over prices 100, 110, 99', () => {
    const rv = new RealizedVolatility(2);
    rv.update(100);
    rv.update(110);
    expect(rv.ready).toBe(false);
    expect(rv.update(99)).toBeCloseTo(Math.sqrt(Math.log(1.1) ** 2 + Math.log(0.9) ** 2), 15);
  });
});

describe("Kyle's lambda on synthetic flow with a known impact", () => {
  it('recovers λ = 0.002 exactly from noiseless Δp = 0.002·q + 0.01', () => {
    const k = new KyleLambda(50);
    const r = new Random(3);
    for (let i = 0; i < 500; i++) {
      const q = r.normal(0, 100);
      k.update(0.002 * q + 0.01, q);
    }
    expect(k.value).toBeCloseTo(0.002, 12);
    expect(k.intercept).toBeCloseTo(0.01, 12);
  });

  it('estimates λ within a few standard errors under noise, over 20,000 intervals (many re-sums)', () => {
    const k = new KyleLambda(5000);
    const r = new Random(4);
    for (let i = 0; i < 20_000; i++) {
      const q = r.normal(0, 100);
      k.update(0.002 * q + r.normal(0, 0.05), q);
    }
    // Standard error of the slope ≈ σ_ε / (σ_q·√n) = 0.05 / (100·√5000) ≈ 7e-6.
    expect(Math.abs(k.value - 0.002)).toBeLessThan(3e-5);
  });

  it('is NaN, not ready, when signed volume never varies', () => {
    const k = new KyleLambda(3);
    for (let i = 0; i < 5; i++) k.update(0.1, 10);
    expect(k.value).toBeNaN();
    expect(k.ready).toBe(false);
  });
});

describe('VPIN on synthetic flow with a known answer', () => {
  it('one-sided flow is fully toxic: 1', () => {
    const v = new VPIN(100, 4);
    for (let i = 0; i < 8; i++) v.update(1, 50);
    expect(v.value).toBe(1);
  });

  it('balanced buckets give 0; 75/25 buckets give |75 − 25| / 100 = 0.5', () => {
    const bal = new VPIN(100, 4);
    for (let i = 0; i < 8; i++) bal.update(i % 2 === 0 ? 1 : -1, 50);
    expect(bal.value).toBe(0);
    const mix = new VPIN(100, 4);
    for (let b = 0; b < 4; b++) {
      mix.update(1, 75);
      mix.update(-1, 25);
    }
    expect(mix.value).toBe(0.5);
  });

  it('splits a large trade across buckets: 250 bought with V = 100 fills two buckets and leaves 50', () => {
    const v = new VPIN(100, 3);
    v.update(1, 250);
    expect(v.ready).toBe(false);
    v.update(-1, 50); // completes bucket 3 as 50/50
    expect(v.ready).toBe(true);
    expect(v.value).toBeCloseTo((100 + 100 + 0) / 300, 15);
  });

  it('rejects a non-positive bucket volume', () => {
    expect(() => new VPIN(0)).toThrow(TickerError);
  });
});

describe('BookFeatures from an OrderBook', () => {
  it('computes the book features from the top levels and feeds vol and lambda when the mid moves', () => {
    const book = new OrderBook(instrumentId('X'));
    const f = new BookFeatures({ levels: 2, decay: 0.5, volWindow: 1, lambdaWindow: 2 });
    book.applyDelta(BID, 100, 3, 1, 1);
    book.applyDelta(BID, 99, 1, 2, 2);
    book.applyDelta(ASK, 101, 1, 3, 3);
    book.applyDelta(ASK, 102, 1, 4, 4);
    f.update(book);
    expect(f.mid).toBe(100.5);
    expect(f.imbalance).toBeCloseTo(0.4, 15); // as the hand example above
    expect(f.microprice).toBe(100.75);
    expect(f.vwapDevBps).toBeNaN(); // no priced trade yet
    f.onTrade(1, 1, 101); // takes the 101 ask
    book.applyDelta(ASK, 101, 0, 5, 5);
    f.update(book); // mid 100.5 → 101
    expect(f.mid).toBe(101);
    expect(f.vwapDevBps).toBe(0); // mid 101 = VWAP 101
    expect(f.realizedVol.value).toBeCloseTo(Math.abs(Math.log(101 / 100.5)), 15);
    f.onTrade(-1, 2);
    book.applyDelta(BID, 100, 0, 6, 6);
    f.update(book); // mid 101 → 100.5 after 2 sold
    expect(f.kyleLambda.value).toBeCloseTo((-0.5 - 0.5) / (-2 - 1), 12); // slope through (1, 0.5), (−2, −0.5)
  });
});
