import { type Objective, type Trial, orient } from './objectives.js';

/** a dominates b: at least as good on every axis and better on one (vectors oriented larger-is-better). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) better = true;
  }
  return better;
}

/**
 * Fast non-dominated sort (Deb, Pratap, Agarwal & Meyarivan 2002, NSGA-II, §III-A): the fronts as lists
 * of indices, front 0 being the Pareto front. Within a front, indices keep their input order.
 */
export function nonDominatedSort(vectors: readonly (readonly number[])[]): number[][] {
  const n = vectors.length;
  const dominatedBy = new Int32Array(n);
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++)
    for (let q = p + 1; q < n; q++) {
      if (dominates(vectors[p]!, vectors[q]!)) {
        dominatesList[p]!.push(q);
        dominatedBy[q]!++;
      } else if (dominates(vectors[q]!, vectors[p]!)) {
        dominatesList[q]!.push(p);
        dominatedBy[p]!++;
      }
    }
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let p = 0; p < n; p++) if (dominatedBy[p] === 0) current.push(p);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const p of current) for (const q of dominatesList[p]!) if (--dominatedBy[q]! === 0) next.push(q);
    next.sort((a, b) => a - b);
    current = next;
  }
  return fronts;
}

/**
 * Crowding distance of each member of a front (NSGA-II §III-B): the perimeter of the cuboid formed by its
 * neighbours on each axis, normalized by the axis' range; the extremes get Infinity so they are kept.
 */
export function crowdingDistance(
  vectors: readonly (readonly number[])[],
  front: readonly number[],
): Map<number, number> {
  const d = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.length === 0) return d;
  const m = vectors[front[0]!]!.length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => vectors[a]![k]! - vectors[b]![k]! || a - b);
    const lo = vectors[sorted[0]!]![k]!;
    const hi = vectors[sorted[sorted.length - 1]!]![k]!;
    d.set(sorted[0]!, Infinity);
    d.set(sorted[sorted.length - 1]!, Infinity);
    const range = hi - lo;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const i = sorted[j]!;
      d.set(i, d.get(i)! + (vectors[sorted[j + 1]!]![k]! - vectors[sorted[j - 1]!]![k]!) / range);
    }
  }
  return d;
}

/** The non-dominated trials, in their input order. */
export function paretoFront(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] {
  if (trials.length === 0) return [];
  const v = trials.map((t) => orient(t.metrics, objectives));
  return nonDominatedSort(v)[0]!.map((i) => trials[i]!);
}
