import { describe, expect, it } from 'vitest';
import { cpcvPaths, purgedSplits } from './purged-splits.js';

describe('purgedSplits', () => {
  // 12 samples in 4 groups {0,1,2} {3,4,5} {6,7,8} {9,10,11}; each label looks one sample ahead.
  const labelEnd = Array.from({ length: 12 }, (_, i) => i + 1);

  it('purges overlapping labels and embargoes the samples after the test block', () => {
    const splits = purgedSplits({ samples: 12, labelEnd, groups: 4, testGroups: 1, embargo: 1 });
    expect(splits).toHaveLength(4);
    const s1 = splits[1]!;
    expect(s1.test).toEqual([3, 4, 5]);
    // Sample 2's label [2, 3] reaches into the test; the test block's labels end at 6, so 6's label [6, 7] overlaps.
    expect(s1.purged).toEqual([2, 6]);
    // The embargo drops one more sample after the span's end (6): sample 7.
    expect(s1.embargoed).toEqual([7]);
    expect(s1.train).toEqual([0, 1, 8, 9, 10, 11]);
    const s3 = splits[3]!;
    expect(s3.purged).toEqual([8]);
    expect(s3.embargoed).toEqual([]);
    expect(s3.train).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('treats adjacent test groups as one block and builds φ = k/N·C(N,k) paths', () => {
    const splits = purgedSplits({ samples: 12, labelEnd, groups: 4, testGroups: 2, embargo: 1 });
    expect(splits.map((s) => s.testGroups)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    const s = splits[1]!; // test {0,1,2} and {6,7,8}
    expect(s.purged).toEqual([3, 5, 9]);
    expect(s.embargoed).toEqual([4, 10]);
    expect(s.train).toEqual([11]);
    const adj = splits[0]!; // test {0..5}: one block, span ends at 6
    expect(adj.purged).toEqual([6]);
    expect(adj.embargoed).toEqual([7]);
    const paths = cpcvPaths(splits, 4);
    expect(paths).toEqual([
      [0, 0, 1, 2],
      [1, 3, 3, 4],
      [2, 4, 5, 5],
    ]);
  });

  it('without label overlap or embargo drops nothing', () => {
    const [s] = purgedSplits({ samples: 6, groups: 3, testGroups: 1 });
    expect(s!.purged).toEqual([]);
    expect(s!.train).toEqual([2, 3, 4, 5]);
    expect(() => purgedSplits({ samples: 6, groups: 3, testGroups: 3 })).toThrow(/testGroups/);
  });
});
