// The same strategy on bars and on L2 data for the same 84 seconds: `npx tsx examples/bars-vs-l2.ts`.
// Data: real Binance USDⓈ-M BTCUSDT traffic (test/fixtures/binance, hftbacktest's capture). Bars are 1-second
// OHLCV bars built from the capture's trades; the L2 run replays the book and trades themselves. The
// strategy is sma-cross(fast, slow); on L2 it sees the same 1-second bars, built from the same trades as
// they arrive, and its market orders walk the replayed book after a 5 ms entry latency.
import { loadReplayFiles, replayStreams } from '../src/data/replay/index.js';
import { StreamSynchronizer } from '../src/data/synchronizer.js';
import { BacktestEngine } from '../src/engine/backtest.js';
import { L2BacktestEngine } from '../src/engine/l2-backtest.js';
import { ConstantLatency } from '../src/execution/l2/latency.js';
import type { MidSeries } from '../src/execution/l2/markouts.js';
import { Bar, BarSeries, type Fill, Instrument, type TradeTick } from '../src/model/index.js';
import { SmaCross, type SmaCrossParams } from '../src/strategies/sma-cross.js';

const FILE = new URL(
  '../test/fixtures/binance/usdm_btcusdt_20240808_first20000lines.jsonl.gz',
  import.meta.url,
).pathname;
// 20% of equity per entry: the L2 kernel's default risk rules cap a position at 25% of equity.
const PARAMS: Partial<SmaCrossParams> = { fast: 5, slow: 20, short: true, fraction: 0.2 };
const CASH = 10_000;
const S = 1_000_000;

const inst = new Instrument({
  id: 'BTCUSDT.BINANCE',
  kind: 'perpetual',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.1,
  lotSize: 0.001,
  makerFee: 0.0002,
  takerFee: 0.0005,
});

const replay = loadReplayFiles([FILE], { format: 'binance', instrumentId: inst.id });

/** 1-second bars from trades; a second without trades repeats the last close with volume 0. */
function secondBars(): BarSeries {
  const t = replay.trades;
  const rows: { ts: number; open: number; high: number; low: number; close: number; volume: number }[] = [];
  for (let i = 0; i < t.length; i++) {
    const sec = Math.floor(t.ts[i]! / S) * S;
    const p = t.price[i]!;
    let last = rows[rows.length - 1];
    while (last && last.ts + S < sec) {
      rows.push({
        ts: last.ts + S,
        open: last.close,
        high: last.close,
        low: last.close,
        close: last.close,
        volume: 0,
      });
      last = rows[rows.length - 1];
    }
    if (!last || last.ts !== sec)
      rows.push({ ts: sec, open: p, high: p, low: p, close: p, volume: t.size[i]! });
    else {
      last.high = Math.max(last.high, p);
      last.low = Math.min(last.low, p);
      last.close = p;
      last.volume += t.size[i]!;
    }
  }
  return BarSeries.fromRows(inst.id, rows);
}

/** sma-cross fed with the same 1-second bars, built from the L2 trade stream as it arrives. */
class SmaCrossOnTrades extends SmaCross {
  private bar: Bar | undefined;
  private n = 0;
  override onTrade(t: TradeTick): void {
    const sec = Math.floor(t.ts / S) * S;
    let b = this.bar;
    // A trade in a later second closes the bar (and any empty seconds in between), as the bar data does.
    while (b && b.ts < sec) {
      this.onBar(b);
      const next = new Bar(inst.id);
      next.ts = b.ts + S;
      next.open = next.high = next.low = next.close = b.close;
      next.index = ++this.n;
      b = this.bar = next.ts < sec ? next : undefined;
      if (b === undefined) break;
    }
    if (!this.bar) {
      const nb = new Bar(inst.id);
      nb.ts = sec;
      nb.open = nb.high = nb.low = nb.close = t.price;
      nb.volume = t.size;
      nb.index = this.n;
      this.bar = nb;
    } else {
      this.bar.high = Math.max(this.bar.high, t.price);
      this.bar.low = Math.min(this.bar.low, t.price);
      this.bar.close = t.price;
      this.bar.volume += t.size;
    }
  }
}

function midAt(p: MidSeries, t: number): number {
  let lo = 0;
  let hi = p.length - 1;
  while (lo < hi) {
    const m = (lo + hi + 1) >> 1;
    if (p.ts[m]! <= t) lo = m;
    else hi = m - 1;
  }
  return p.mid[lo]!;
}

function report(name: string, fills: readonly Fill[], fees: number, pnl: number, mids: MidSeries): string[] {
  // Cost against the mid at the fill's time, bps of the mid: > 0 paid more (bought above / sold below mid).
  let cost = 0;
  let notional = 0;
  for (const f of fills) {
    const m = midAt(mids, f.ts);
    const sgn = f.side === 'buy' ? 1 : -1;
    cost += sgn * (f.price - m) * f.quantity;
    notional += m * f.quantity;
  }
  const qty = fills.reduce((a, f) => a + f.quantity, 0);
  return [
    name,
    String(fills.length),
    qty.toFixed(3),
    notional ? ((cost / notional) * 1e4).toFixed(3) : 'n/a',
    cost.toFixed(3),
    fees.toFixed(2),
    pnl.toFixed(2),
  ];
}

// Bars: market orders fill at the next bar's open, no spread, no depth, no latency.
const bars = secondBars();
const be = new BacktestEngine({ cash: CASH, currency: 'USDT', commission: inst.takerFee, fill: 'next-open' });
be.addInstrument(inst, bars).addStrategy(new SmaCross(PARAMS));
const br = be.run();

// L2: the same signal; market orders cross the spread and walk the book 5 ms after the decision.
const le = new L2BacktestEngine(
  {
    cash: CASH,
    seed: 1,
    latency: () => ({
      entry: new ConstantLatency(5_000),
      response: new ConstantLatency(5_000),
      marketData: new ConstantLatency(0),
    }),
    funding: false,
  },
  { merge: StreamSynchronizer.ofColumns },
);
le.addInstrument(inst, ...replayStreams(replay)).addStrategy(new SmaCrossOnTrades(PARAMS));
const lr = le.run();
const mids = lr.midPaths[0]!;
// Both runs end with whatever position they hold, marked at the last price they know.
const rows = [
  [
    'run',
    'fills',
    'BTC traded',
    'cost vs mid (bps)',
    'cost vs mid (USDT)',
    'fees (USDT)',
    'P&L after fees (USDT)',
  ],
  report(
    'bars (1 s, next open)',
    br.fills,
    Number(br.stats['Commissions [$]']),
    Number(br.stats['Equity Final [$]']) - CASH,
    mids,
  ),
  report('L2 (book walk, 5 ms)', lr.fills, lr.fees, lr.equity - CASH, mids),
];
console.log(
  `${bars.length} one-second bars, ${lr.events} L2 events; sma-cross ${JSON.stringify(PARAMS)}, cash ${CASH}`,
);
for (const r of rows)
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(24) : c.padStart(i === 3 || i === 4 ? 19 : 12))).join(''));
const pairs = br.fills.map((f, i) => {
  const g = lr.fills[i];
  return g
    ? `${f.side} ${f.quantity} @ ${f.price} (bar, ${new Date(f.ts / 1000).toISOString().slice(11, 23)}) vs ${g.side} ${g.quantity} @ ${g.price} (L2, ${new Date(g.ts / 1000).toISOString().slice(11, 23)}, mid ${midAt(mids, g.ts)})`
    : `${f.side} ${f.quantity} @ ${f.price} (bar) vs — (L2)`;
});
console.log(pairs.join('\n'));
