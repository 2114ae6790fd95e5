import { ATR, EMA, RSI, SMA } from '../src/indicators/index.js';
import { type Figure, bestOf, peakRssMb, runAsChild } from './harness.js';
import { syntheticBars } from './synthetic.js';

/**
 * Indicator throughput: updates per second of one indicator fed a Float64Array of one million synthetic
 * one-minute bars, ten passes (10M updates) per timed run, best of seven runs. The sum of the values is
 * kept and checked so the JIT cannot drop the work.
 */
const BARS = 1_000_000;
const PASSES = 10;
const RUNS = 7;

function rate(updates: number, ms: number): number {
  return updates / (ms / 1000);
}

/**
 * Each indicator gets its own loop (the three bodies are the same text on purpose): a shared helper would
 * see SMA, EMA and RSI at one call site, go polymorphic, and measure the dispatch instead of the indicator.
 */
function timeSma(xs: Float64Array): { ms: number; sink: number } {
  let sink = 0;
  const ms = bestOf(RUNS, () => {
    const ind = new SMA(20);
    let s = 0;
    for (let p = 0; p < PASSES; p++) for (let i = 0; i < xs.length; i++) s += ind.update(xs[i]!);
    sink += s;
  });
  return { ms, sink };
}

function timeEma(xs: Float64Array): { ms: number; sink: number } {
  let sink = 0;
  const ms = bestOf(RUNS, () => {
    const ind = new EMA(20);
    let s = 0;
    for (let p = 0; p < PASSES; p++) for (let i = 0; i < xs.length; i++) s += ind.update(xs[i]!);
    sink += s;
  });
  return { ms, sink };
}

function timeRsi(xs: Float64Array): { ms: number; sink: number } {
  let sink = 0;
  const ms = bestOf(RUNS, () => {
    const ind = new RSI(14);
    let s = 0;
    for (let p = 0; p < PASSES; p++) for (let i = 0; i < xs.length; i++) s += ind.update(xs[i]!);
    sink += s;
  });
  return { ms, sink };
}

function main(): Figure[] {
  const bars = syntheticBars(BARS, 7);
  const { high, low, close } = bars;
  const n = BARS * PASSES;

  const sma = timeSma(close);
  const ema = timeEma(close);
  const rsi = timeRsi(close);
  let atrSink = 0;
  const atrMs = bestOf(RUNS, () => {
    const atr = new ATR(14);
    let s = 0;
    for (let p = 0; p < PASSES; p++)
      for (let i = 0; i < close.length; i++) s += atr.update(high[i]!, low[i]!, close[i]!);
    atrSink += s;
  });
  // NaN during warm-up makes the sums NaN; what matters is that each loop ran and read its values.
  if ([sma.sink, ema.sink, rsi.sink, atrSink].some((s) => s === 0))
    throw new Error('benchmark produced no values');

  return [
    { name: 'indicators.sma_updates_per_s', value: rate(n, sma.ms), unit: 'updates/s' },
    { name: 'indicators.ema_updates_per_s', value: rate(n, ema.ms), unit: 'updates/s' },
    { name: 'indicators.rsi_updates_per_s', value: rate(n, rsi.ms), unit: 'updates/s' },
    { name: 'indicators.atr_updates_per_s', value: rate(n, atrMs), unit: 'updates/s' },
    { name: 'indicators.peak_rss_mb', value: peakRssMb(), unit: 'MB' },
  ];
}

await runAsChild(main);
