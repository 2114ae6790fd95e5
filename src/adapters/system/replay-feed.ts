import { readCsvBars } from '../../data/csv-bars.js';
import type { BarFeed, FeedBar } from '../../engine/trading-node-ports.js';
import type { BarSeries } from '../../model/index.js';
import { isoDate } from '../../portfolio/timeseries.js';

export interface ReplaySource {
  readonly instrumentId: string;
  readonly file: string;
}

export interface ReplayFeedOptions {
  readonly sources: readonly ReplaySource[];
  /** Wall time between two bars of an instrument (every instrument advances one bar per tick). */
  readonly intervalMs: number;
  /** Start again from the first bar when a file is exhausted. */
  readonly loop: boolean;
}

/**
 * Replays bundled historical bars through the node at a chosen pace: never live market data, and its
 * description says so. Every `intervalMs`, each instrument emits its next bar; the node stamps bars with
 * its own clock and records the cursor, so a restarted node resumes after the last bar it processed.
 */
export class ReplayFeed implements BarFeed {
  readonly kind = 'replay' as const;
  readonly description: string;
  private readonly series: { id: string; s: BarSeries; next: number }[];
  private readonly opts: ReplayFeedOptions;
  private handle: ReturnType<typeof setTimeout> | undefined = undefined;
  private done = false;

  constructor(opts: ReplayFeedOptions) {
    this.opts = opts;
    this.series = opts.sources.map((src) => ({
      id: src.instrumentId,
      s: readCsvBars(src.file, { instrumentId: src.instrumentId }).series,
      next: 0,
    }));
    const parts = this.series.map(
      ({ id, s }, i) =>
        `${id} from ${opts.sources[i]!.file} (${s.length} bars, ${isoDate(s.ts[0]!)} → ${isoDate(s.ts[s.length - 1]!)})`,
    );
    this.description = `replay of ${parts.join('; ')} at one bar per ${opts.intervalMs} ms per instrument${opts.loop ? ', looping' : ''}`;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Bars per instrument in the bundled files. */
  lengths(): Record<string, number> {
    return Object.fromEntries(this.series.map(({ id, s }) => [id, s.length]));
  }

  start(sink: (bar: FeedBar) => void, resume: ReadonlyMap<string, number>): void {
    for (const x of this.series) x.next = Math.max(0, resume.get(x.id) ?? 0);
    const tick = (): void => {
      let emitted = 0;
      for (const x of this.series) {
        if (x.next >= x.s.length) {
          if (!this.opts.loop) continue;
          x.next = 0;
        }
        const i = x.next++;
        const s = x.s;
        sink({
          instrumentId: x.id,
          sourceTs: s.ts[i]!,
          sourceIndex: i,
          open: s.open[i]!,
          high: s.high[i]!,
          low: s.low[i]!,
          close: s.close[i]!,
          volume: s.volume[i]!,
        });
        emitted++;
      }
      if (emitted === 0) {
        this.done = true;
        return;
      }
      this.handle = setTimeout(tick, this.opts.intervalMs);
    };
    this.handle = setTimeout(tick, this.opts.intervalMs);
  }

  stop(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
}
