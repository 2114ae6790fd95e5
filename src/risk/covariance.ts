import { invalid } from '../model/index.js';

/** Pearson correlation of two equally long series, skipping pairs where either is NaN (NaN if < 2 pairs). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const c = pairStats(a, b);
  return c.n < 2 ? Number.NaN : c.sab / Math.sqrt(c.saa * c.sbb);
}

/** Sample covariance (ddof = 1) of two series, skipping pairs where either is NaN. */
export function covariance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const c = pairStats(a, b);
  return c.n < 2 ? Number.NaN : c.sab / (c.n - 1);
}

function pairStats(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { n: number; saa: number; sbb: number; sab: number } {
  if (a.length !== b.length) throw invalid('series.length', b.length, `must equal ${a.length}`);
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    ma += x;
    mb += y;
  }
  ma /= n;
  mb /= n;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    saa += (x - ma) * (x - ma);
    sbb += (y - mb) * (y - mb);
    sab += (x - ma) * (y - mb);
  }
  return { n, saa, sbb, sab };
}

/** Sample covariance matrix (ddof = 1) of series given as columns: `series[k]` is asset k's returns. */
export function covarianceMatrix(series: readonly ArrayLike<number>[]): number[][] {
  const n = series.length;
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const c = covariance(series[i]!, series[j]!);
      m[i]![j] = c;
      m[j]![i] = c;
    }
  return m;
}

/** Correlation matrix from series (columns). */
export function correlationMatrix(series: readonly ArrayLike<number>[]): number[][] {
  return covarianceToCorrelation(covarianceMatrix(series));
}

export function covarianceToCorrelation(cov: readonly (readonly number[])[]): number[][] {
  return cov.map((row, i) => row.map((c, j) => (i === j ? 1 : c / Math.sqrt(cov[i]![i]! * cov[j]![j]!))));
}

/**
 * Rolling covariance of n assets over the last `window` observations, updated in O(n²) per observation
 * from running sums (the observation leaving the window is subtracted). Observations must be complete
 * (no NaN); use {@link covarianceMatrix} for ragged data.
 */
export class RollingCovariance {
  readonly assets: number;
  readonly window: number;
  private readonly buf: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumXY: Float64Array;
  private count = 0;
  private head = 0;

  constructor(assets: number, window: number) {
    if (!(Number.isInteger(assets) && assets > 0))
      throw invalid('assets', assets, 'must be a positive integer');
    if (!(Number.isInteger(window) && window >= 2))
      throw invalid('window', window, 'must be an integer >= 2');
    this.assets = assets;
    this.window = window;
    this.buf = new Float64Array(assets * window);
    this.sum = new Float64Array(assets);
    this.sumXY = new Float64Array(assets * assets);
  }

  /** Observations in the window. */
  get size(): number {
    return Math.min(this.count, this.window);
  }

  push(x: ArrayLike<number>): void {
    const n = this.assets;
    if (x.length !== n) throw invalid('observation.length', x.length, `must be ${n}`);
    const off = this.head * n;
    if (this.count >= this.window) this.accumulate(off, -1);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]!)) throw invalid(`observation[${i}]`, x[i], 'must be a finite number');
      this.buf[off + i] = x[i]!;
    }
    this.accumulate(off, 1);
    this.head = (this.head + 1) % this.window;
    this.count++;
  }

  private accumulate(off: number, sign: 1 | -1): void {
    const n = this.assets;
    for (let i = 0; i < n; i++) {
      const xi = this.buf[off + i]!;
      this.sum[i] = this.sum[i]! + sign * xi;
      for (let j = i; j < n; j++)
        this.sumXY[i * n + j] = this.sumXY[i * n + j]! + sign * xi * this.buf[off + j]!;
    }
  }

  /** Sample covariance matrix (ddof = 1) of the window; NaN entries before two observations. */
  covariance(): number[][] {
    const n = this.assets;
    const k = this.size;
    const out: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(Number.NaN));
    if (k < 2) return out;
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const c = (this.sumXY[i * n + j]! - (this.sum[i]! * this.sum[j]!) / k) / (k - 1);
        out[i]![j] = c;
        out[j]![i] = c;
      }
    return out;
  }

  correlation(): number[][] {
    return covarianceToCorrelation(this.covariance());
  }
}
