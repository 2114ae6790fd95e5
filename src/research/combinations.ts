import { invalid } from '../model/index.js';

/** All k-subsets of {0, …, n−1} in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 1 || k > n)
    throw invalid('k', k, `must be an integer in [1, ${n}]`);
  const out: number[][] = [];
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    out.push([...c]);
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return out;
    c[i]!++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1;
  }
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** `n` items cut into `groups` contiguous, near-equal parts (the first `n mod groups` one longer). */
export function contiguousGroups(n: number, groups: number): { from: number; to: number }[] {
  if (!Number.isInteger(groups) || groups < 2 || groups > n)
    throw invalid('groups', groups, `must be an integer in [2, ${n}]`);
  const base = Math.floor(n / groups);
  const extra = n % groups;
  const out: { from: number; to: number }[] = [];
  let s = 0;
  for (let g = 0; g < groups; g++) {
    const len = base + (g < extra ? 1 : 0);
    out.push({ from: s, to: s + len });
    s += len;
  }
  return out;
}
