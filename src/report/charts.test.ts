import { describe, expect, it } from 'vitest';
import { aggregateReturns } from '../portfolio/analytics.js';
import { monthlyGrid } from './derive.js';
import { divergingColor, histogram } from './grid-charts.js';
import { lineChart, thinIndices } from './line-chart.js';
import { axisFormat, fmtPct, niceDomain, niceTicks, timeTicks } from './svg.js';

const DAY = 86_400e6;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) * 1000;

describe('chart helpers', () => {
  it('picks round ticks and widens domains to them', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-0.19, 0)).toEqual([-0.15, -0.1, -0.05, 0]);
    expect(Object.is(niceTicks(-0.19, 0).at(-1), 0)).toBe(true); // never "-0%"
    expect(niceDomain(-0.19, 0)).toEqual([-0.2, 0]);
    expect(niceDomain(9_800, 41_000)).toEqual([0, 50_000]);
  });

  it('labels time axes with years over long spans and months over short ones', () => {
    const years = timeTicks(utc(2004, 8, 19), utc(2013, 3, 1)).map((t) => t.label);
    expect(years).toEqual(['2005', '2006', '2007', '2008', '2009', '2010', '2011', '2012', '2013']);
    const months = timeTicks(utc(2020, 1, 15), utc(2020, 6, 15)).map((t) => t.label);
    expect(months).toEqual(['Feb', 'Mar', 'Apr', 'May', 'Jun']);
  });

  it('formats axes in one unit and percentages without a negative zero', () => {
    const f = axisFormat(80_000);
    expect([0, 20_000, 100_000].map(f)).toEqual(['0', '20k', '100k']);
    expect(fmtPct(-0.00001)).toBe('0.0%');
    expect(fmtPct(-0.123)).toBe('-12.3%');
  });

  it('colors losses red and gains green, stronger with size', () => {
    expect(divergingColor(-0.1, 0.1)).toBe('rgb(220,38,38)');
    expect(divergingColor(0.1, 0.1)).toBe('rgb(22,163,74)');
    expect(divergingColor(0, 0.1)).toBe(divergingColor(-0, 0.1));
  });
});

describe('histogram', () => {
  it('counts every value once, outliers in the end bins', () => {
    const xs = [...Array.from({ length: 999 }, (_, i) => (i - 500) / 10_000), 0.5];
    const h = histogram(xs, { bins: 20, clip: 0.005 });
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.clippedHigh).toBeGreaterThanOrEqual(1);
    expect(h.edges[h.edges.length - 1]!).toBeLessThan(0.1);
  });

  it('is empty without finite values', () => {
    expect(histogram([Number.NaN]).counts).toEqual([]);
  });
});

describe('monthlyGrid', () => {
  it('matches the compounded monthly returns, years by months', () => {
    const ts: number[] = [];
    const eq: number[] = [];
    for (let d = 0, e = 100; d < 400; d++, e *= 1 + Math.sin(d) / 100) {
      ts.push(utc(2019, 12, 1) + d * DAY);
      eq.push(e);
    }
    const g = monthlyGrid(ts, eq);
    expect(g.years).toEqual([2019, 2020, 2021]);
    const r = ts.slice(1).map((_, i) => eq[i + 1]! / eq[i]! - 1);
    const months = aggregateReturns(ts.slice(1), r, 'monthly');
    const mar2020 = months.find((m) => m.period === '2020-03')!.return;
    expect(g.cells[1]![2]).toBeCloseTo(mar2020, 12);
    expect(Number.isNaN(g.cells[0]![0]!)).toBe(true);
    expect(g.yearTotals[1]).toBeCloseTo(
      eq[ts.indexOf(utc(2020, 12, 31))]! / eq[ts.indexOf(utc(2019, 12, 31))]! - 1,
      12,
    );
  });
});

describe('lineChart', () => {
  it('keeps each bucket’s extremes when it thins a long series', () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => (i === 4321 ? -50 : i === 777 ? 90 : Math.sin(i)));
    const idx = thinIndices(ys.length, ys, 300);
    expect(idx.length).toBeLessThanOrEqual(301);
    expect(idx).toContain(4321);
    expect(idx).toContain(777);
    expect(idx.at(-1)).toBe(9_999);
  });

  it('draws a legend, tooltips and an axis for two series', () => {
    const ts = Array.from({ length: 500 }, (_, i) => utc(2020, 1, 1) + i * DAY);
    const svg = lineChart({
      title: 'Equity',
      ts,
      series: [
        { name: 'Strategy', values: ts.map((_, i) => 100 + i), color: '#00f' },
        { name: 'Benchmark', values: ts.map((_, i) => 100 + i / 2), color: '#888', dash: true },
      ],
      yFormat: (v) => v.toFixed(0),
    });
    expect(svg).toContain('<title>Equity</title>');
    expect(svg).toContain('<g class="legend">');
    expect(svg).toMatch(/<title>2021-05-1\d\nStrategy: \d+\nBenchmark: \d+<\/title>/);
    expect(svg).toMatch(/>2021<\/text>/);
  });
});
