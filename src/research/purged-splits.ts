import { invalid } from '../model/index.js';
import { combinations, contiguousGroups } from './combinations.js';

export interface PurgedSplitOptions {
  /** Number of samples (bars), in time order. */
  readonly samples: number;
  /**
   * Index of the last sample each sample's label depends on (its outcome is known only then); default
   * the sample itself. A label of sample i spans [i, labelEnd[i]].
   */
  readonly labelEnd?: ArrayLike<number>;
  /** N: contiguous groups the samples are cut into. */
  readonly groups: number;
  /** k: groups in each test set. */
  readonly testGroups: number;
  /** Samples dropped from training right after each test block, past its last label (default 0). */
  readonly embargo?: number;
}

export interface PurgedSplit {
  readonly testGroups: readonly number[];
  readonly test: readonly number[];
  readonly train: readonly number[];
  /** Training samples whose labels overlap a test block's labels (dropped). */
  readonly purged: readonly number[];
  /** Training samples inside the embargo after a test block (dropped). */
  readonly embargoed: readonly number[];
}

/**
 * Combinatorial purged cross-validation splits (López de Prado, Advances in Financial Machine Learning,
 * 2018, §7.4 and §12.4): the samples are cut into N contiguous groups and every choice of k of them is a
 * test set, C(N, k) splits in all. For each contiguous block of test groups, a training sample is
 * purged when its label interval overlaps the block's span [first test sample, last label end of the
 * block] (§7.4.1), and the `embargo` samples after that span are dropped too, because serially
 * correlated features would leak the test outcome into them (§7.4.2).
 */
export function purgedSplits(o: PurgedSplitOptions): PurgedSplit[] {
  const n = o.samples;
  if (!Number.isInteger(n) || n < 2) throw invalid('samples', n, 'must be an integer >= 2');
  const ends = labelEnds(n, o.labelEnd);
  const embargo = o.embargo ?? 0;
  if (!Number.isInteger(embargo) || embargo < 0)
    throw invalid('embargo', embargo, 'must be an integer number of samples >= 0');
  if (!Number.isInteger(o.testGroups) || o.testGroups < 1 || o.testGroups >= o.groups)
    throw invalid('testGroups', o.testGroups, `must be an integer in [1, groups − 1 = ${o.groups - 1}]`);
  const groups = contiguousGroups(n, o.groups);
  return combinations(o.groups, o.testGroups).map((testGroups) => {
    const role = new Uint8Array(n); // 0 train, 1 test, 2 purged, 3 embargoed
    for (const g of testGroups) role.fill(1, groups[g]!.from, groups[g]!.to);
    const spans = testBlocks(testGroups).map((block) => {
      const from = groups[block[0]!]!.from;
      const to = groups[block[block.length - 1]!]!.to;
      let end = to - 1;
      for (let i = from; i < to; i++) end = Math.max(end, ends[i]!);
      return { from, end };
    });
    // Purging first, over every block, so a sample both overlapping and embargoed counts as purged.
    for (const sp of spans)
      for (let i = 0; i < n; i++) if (role[i] === 0 && i <= sp.end && ends[i]! >= sp.from) role[i] = 2;
    for (const sp of spans)
      for (let i = sp.end + 1; i <= Math.min(n - 1, sp.end + embargo); i++) if (role[i] === 0) role[i] = 3;
    const pick = (r: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (role[i] === r) out.push(i);
      return out;
    };
    return { testGroups, test: pick(1), train: pick(0), purged: pick(2), embargoed: pick(3) };
  });
}

/**
 * The backtest paths (AFML §12.4.1): each group is tested in C(N−1, k−1) splits, and path j takes
 * group g's result from the j-th of those splits, so φ = k/N·C(N, k) paths each cover every group once.
 * Returns, per path, the split index used for each group.
 */
export function cpcvPaths(splits: readonly Pick<PurgedSplit, 'testGroups'>[], groups: number): number[][] {
  const perGroup: number[][] = Array.from({ length: groups }, () => []);
  splits.forEach((s, i) => {
    for (const g of s.testGroups) perGroup[g]!.push(i);
  });
  const phi = perGroup[0]!.length;
  return Array.from({ length: phi }, (_, j) => perGroup.map((list) => list[j]!));
}

function labelEnds(n: number, labelEnd: ArrayLike<number> | undefined): Int32Array {
  const ends = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = labelEnd ? labelEnd[i]! : i;
    if (!Number.isInteger(e) || e < i)
      throw invalid(`labelEnd[${i}]`, e, 'must be an integer index >= the sample itself');
    ends[i] = Math.min(e, n - 1);
  }
  return ends;
}

/** Adjacent test groups merge into one block (one purge span and one embargo). */
function testBlocks(testGroups: readonly number[]): number[][] {
  const blocks: number[][] = [];
  for (const g of testGroups) {
    const last = blocks[blocks.length - 1];
    if (last && last[last.length - 1] === g - 1) last.push(g);
    else blocks.push([g]);
  }
  return blocks;
}
