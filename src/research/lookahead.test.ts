import { describe, expect, it } from 'vitest';
import type { Bar, BarSeries } from '../model/index.js';
import { SmaCross } from '../strategies/index.js';
import { Strategy } from '../strategy/strategy.js';
import { lookaheadCheck } from './lookahead.js';
import { dailyRandomWalk } from './random-walk.js';

/** The classic leak: a threshold computed from the whole data set (here its highest close). */
class FullRangeBreakout extends Strategy<object> {
  private readonly top: number;
  constructor(bars: BarSeries) {
    super({}, 'leaky');
    this.top = Math.max(...bars.close);
  }
  override onBar(bar: Bar): void {
    const held = this.ctx.position().quantity > 0;
    if (!held && bar.close > 0.9 * this.top) this.ctx.buy({ fraction: 0.5, tag: 'near-top' });
    else if (held && bar.close < 0.8 * this.top) this.ctx.closePosition();
  }
}

describe('lookaheadCheck', () => {
  const bars = dailyRandomWalk(600, { seed: 8, drift: 0.001 });

  it('finds sma-cross clean at every cut', () => {
    const r = lookaheadCheck({ bars, strategy: () => new SmaCross({ fast: 5, slow: 20 }), cuts: 6 });
    expect(r.clean).toBe(true);
    expect(r.cuts.map((c) => c.keep)).toEqual([343, 386, 429, 471, 514, 557]);
    expect(r.firstLeak).toBeUndefined();
  });

  it('flags a strategy whose threshold is computed from future bars', () => {
    const r = lookaheadCheck({ bars, strategy: (b) => new FullRangeBreakout(b), at: [300, 450, 600] });
    expect(r.clean).toBe(false);
    expect(r.firstLeak!.keep).toBe(300);
    expect(r.firstLeak!.onlyInTruncated.length + r.firstLeak!.onlyInFull.length).toBeGreaterThan(0);
    // Keeping every bar changes nothing: the last cut agrees with the full run.
    expect(r.cuts[2]!.onlyInFull).toEqual([]);
    expect(r.cuts[2]!.onlyInTruncated).toEqual([]);
  });
});
