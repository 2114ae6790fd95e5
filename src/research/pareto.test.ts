import { describe, expect, it } from 'vitest';
import { crowdingDistance, dominates, nonDominatedSort, paretoFront } from './pareto.js';

describe('Pareto', () => {
  it('sorts into fronts by domination', () => {
    const v = [
      [1, 5],
      [2, 4],
      [1, 4],
      [3, 1],
      [0, 0],
      [2, 2],
    ];
    expect(dominates([2, 4], [1, 4])).toBe(true);
    expect(dominates([1, 5], [2, 4])).toBe(false);
    expect(nonDominatedSort(v)).toEqual([[0, 1, 3], [2, 5], [4]]);
  });

  it('gives the extremes infinite crowding and the middle its normalized neighbour gap', () => {
    const v = [
      [0, 4],
      [1, 3],
      [4, 0],
    ];
    const d = crowdingDistance(v, [0, 1, 2]);
    expect(d.get(0)).toBe(Infinity);
    expect(d.get(2)).toBe(Infinity);
    expect(d.get(1)).toBeCloseTo(4 / 4 + 4 / 4, 12);
  });

  it('keeps drawdown as a minimized axis and NaN Sharpe as the worst', () => {
    const trials = [
      { params: { x: 1 }, metrics: { sharpe: 1, maxDrawdown: 0.2 } },
      { params: { x: 2 }, metrics: { sharpe: 2, maxDrawdown: 0.3 } },
      { params: { x: 3 }, metrics: { sharpe: 0.5, maxDrawdown: 0.25 } },
      { params: { x: 4 }, metrics: { sharpe: Number.NaN, maxDrawdown: 0 } },
    ];
    const obj = [
      { metric: 'sharpe', goal: 'max' as const },
      { metric: 'maxDrawdown', goal: 'min' as const },
    ];
    expect(paretoFront(trials, obj).map((t) => t.params.x)).toEqual([1, 2, 4]);
  });
});
