import { Random } from '../src/core/index.js';
import { BarSeries, instrumentId } from '../src/model/index.js';

/** `n` one-minute bars of a seeded geometric random walk (deterministic for a seed). */
export function syntheticBars(n: number, seed = 7, id = 'SYN'): BarSeries {
  const rnd = new Random(seed);
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let p = 100;
  const t0 = Date.UTC(2020, 0, 1) * 1000;
  for (let i = 0; i < n; i++) {
    const o = p;
    const c = Math.max(0.01, Math.round(o * Math.exp(rnd.normal(0, 0.001)) * 100) / 100);
    const hi = Math.max(o, c) * (1 + Math.abs(rnd.normal(0, 0.0005)));
    const lo = Math.min(o, c) * (1 - Math.abs(rnd.normal(0, 0.0005)));
    ts[i] = t0 + i * 60_000_000;
    open[i] = o;
    high[i] = Math.round(hi * 100) / 100;
    low[i] = Math.round(lo * 100) / 100;
    close[i] = c;
    volume[i] = 1 + rnd.int(1000);
    p = c;
  }
  return new BarSeries(instrumentId(id), { ts, open, high, low, close, volume });
}
