import type { IndicatorState } from './indicator.js';

/**
 * On-Balance Volume (Joseph Granville, "Granville's New Key to Stock Market Profits", 1963): add the bar's
 * volume when the close rises, subtract it when the close falls, leave it when unchanged. The level is
 * arbitrary; as TA-Lib's TA_OBV the first value is the first bar's volume (StockCharts starts at 0), so
 * only differences compare across conventions.
 */
export class OBV implements IndicatorState {
  readonly warmup = 1;
  value = Number.NaN;
  private prevClose = Number.NaN;

  get ready(): boolean {
    return this.value === this.value;
  }

  update(close: number, volume: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (pc !== pc) this.value = volume;
    else if (close > pc) this.value += volume;
    else if (close < pc) this.value -= volume;
    return this.value;
  }

  reset(): void {
    this.prevClose = Number.NaN;
    this.value = Number.NaN;
  }
}
