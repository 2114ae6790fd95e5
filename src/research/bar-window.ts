import { BarSeries, invalid } from '../model/index.js';

/** A half-open range of bar indices `[from, to)` of one series. */
export interface BarWindow {
  readonly from: number;
  readonly to: number;
}

/** Bars `[from, to)` as a series sharing the parent's memory (no copy). */
export function sliceBars(series: BarSeries, from: number, to: number): BarSeries {
  checkWindow(series, { from, to });
  return new BarSeries(series.instrumentId, {
    ts: series.ts.subarray(from, to),
    open: series.open.subarray(from, to),
    high: series.high.subarray(from, to),
    low: series.low.subarray(from, to),
    close: series.close.subarray(from, to),
    volume: series.volume.subarray(from, to),
  });
}

export function checkWindow(series: BarSeries, w: BarWindow, field = 'window'): void {
  if (
    !Number.isInteger(w.from) ||
    !Number.isInteger(w.to) ||
    w.from < 0 ||
    w.to > series.length ||
    w.from >= w.to
  )
    throw invalid(field, w, `must be integer bar indices with 0 <= from < to <= ${series.length}`);
}

/** Index of the first bar at or after `t` (binary search; `series.length` when none). */
export function indexAtOrAfter(series: BarSeries, t: number): number {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series.ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A copy of the series with its columns in one SharedArrayBuffer, so worker threads read it without copying. */
export function shareBars(series: BarSeries): BarSeries {
  const n = series.length;
  const buf = new SharedArrayBuffer(n * 6 * 8);
  const col = (k: number, src: Float64Array): Float64Array => {
    const a = new Float64Array(buf, k * n * 8, n);
    a.set(src);
    return a;
  };
  return new BarSeries(series.instrumentId, {
    ts: col(0, series.ts),
    open: col(1, series.open),
    high: col(2, series.high),
    low: col(3, series.low),
    close: col(4, series.close),
    volume: col(5, series.volume),
  });
}
