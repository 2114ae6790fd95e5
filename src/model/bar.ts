import { invalid } from './errors.js';
import type { InstrumentId, UnixMicros } from './ids.js';
import { liveShapes } from './shapes.js';

/**
 * One bar as the strategy sees it. The engine reuses one object per instrument and overwrites its fields
 * each bar (no allocation per event): copy the numbers if you need them later.
 */
export class Bar {
  instrumentId: InstrumentId;
  /** Open time of the bar, µs since the epoch. */
  ts: UnixMicros = 0;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  /** Index of this bar in its series. */
  index = -1;
  constructor(instrumentId: InstrumentId) {
    this.instrumentId = instrumentId;
    liveShapes.bar = this;
  }
}

/** The six columns of a bar series, one row per bar. */
export interface BarColumns {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Columnar bars of one instrument, in ascending time order. */
export class BarSeries implements BarColumns {
  readonly instrumentId: InstrumentId;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly length: number;

  constructor(instrumentId: InstrumentId, cols: BarColumns) {
    const n = cols.ts.length;
    for (const k of ['open', 'high', 'low', 'close', 'volume'] as const)
      if (cols[k].length !== n)
        throw invalid(`bars.${k}.length`, cols[k].length, `must equal ts.length ${n}`);
    for (let i = 1; i < n; i++)
      if (!(cols.ts[i]! > cols.ts[i - 1]!))
        throw invalid(
          `bars.ts[${i}]`,
          cols.ts[i],
          `timestamps must strictly increase (previous ${cols.ts[i - 1]})`,
        );
    this.instrumentId = instrumentId;
    this.ts = cols.ts;
    this.open = cols.open;
    this.high = cols.high;
    this.low = cols.low;
    this.close = cols.close;
    this.volume = cols.volume;
    this.length = n;
  }

  static fromRows(
    instrumentId: InstrumentId,
    rows: readonly { ts: number; open: number; high: number; low: number; close: number; volume?: number }[],
  ): BarSeries {
    const n = rows.length;
    const c = {
      ts: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      c.ts[i] = r.ts;
      c.open[i] = r.open;
      c.high[i] = r.high;
      c.low[i] = r.low;
      c.close[i] = r.close;
      c.volume[i] = r.volume ?? 0;
    }
    return new BarSeries(instrumentId, c);
  }

  /** Writes bar `i` into the reusable `out` object. */
  read(i: number, out: Bar): Bar {
    out.ts = this.ts[i]!;
    out.open = this.open[i]!;
    out.high = this.high[i]!;
    out.low = this.low[i]!;
    out.close = this.close[i]!;
    out.volume = this.volume[i]!;
    out.index = i;
    return out;
  }
}
