import { AGGRESSOR_BUY, AGGRESSOR_SELL, ASK, BID, type InstrumentId } from '../../model/index.js';
import { type DepthDiff, DepthSync, type GapPolicy } from './depth-sync.js';
import { type L2Replay, OrderedClock, dec, emptyColumns, lines } from './columns.js';
import { ReplayReport } from './report.js';

export interface BinanceReplayOptions {
  readonly instrumentId: InstrumentId;
  /** Name used in error positions (`file:line`). */
  readonly file?: string;
  readonly onGap?: GapPolicy;
}

type Level = [unknown, unknown];
interface Msg {
  e?: string;
  E?: number;
  T?: number;
  s?: string;
  // depthUpdate
  U?: number;
  u?: number;
  pu?: number;
  b?: Level[] | string;
  a?: Level[] | string;
  // trade
  t?: number;
  p?: string;
  q?: string;
  m?: boolean;
  // bookTicker
  B?: string;
  A?: string;
  // markPriceUpdate
  r?: string;
  i?: string;
  // REST snapshot
  lastUpdateId?: number;
  bids?: Level[];
  asks?: Level[];
}

class BadLine extends Error {}

const ms = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new BadLine(`${field} ${JSON.stringify(v)} is not an epoch time in ms`);
  return v * 1000;
};
const id = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new BadLine(`${field} ${JSON.stringify(v)} is not an update id`);
  return v;
};
const pos = (v: unknown, field: string, zeroOk: boolean): number => {
  const x = dec(v);
  if (!(Number.isFinite(x) && (zeroOk ? x >= 0 : x > 0)))
    throw new BadLine(`${field} ${JSON.stringify(v)} is not a ${zeroOk ? 'size >= 0' : 'positive number'}`);
  return x;
};

function levels(
  list: unknown,
  field: string,
  side: number,
  d: DepthDiff | undefined,
  out?: { p: number[]; q: number[] },
): void {
  if (!Array.isArray(list)) throw new BadLine(`${field} is not a list of [price, size] levels`);
  for (let k = 0; k < list.length; k++) {
    const l = list[k] as unknown;
    if (!Array.isArray(l) || l.length < 2) throw new BadLine(`${field}[${k}] is not a [price, size] pair`);
    const p = pos(l[0], `${field}[${k}].price`, false);
    const q = pos(l[1], `${field}[${k}].size`, true);
    if (d) {
      d.sides.push(side);
      d.prices.push(p);
      d.sizes.push(q);
    } else {
      out!.p.push(p);
      out!.q.push(q);
    }
  }
}

/**
 * Reads a Binance market-data capture into replay streams: one message a line, either
 * `<local receive time in ns> <JSON>` (hftbacktest's collector) or the JSON alone (then the receive time
 * is the message's event time). Messages may be combined-stream envelopes (`{"stream":…,"data":{…}}`)
 * or bare. Understood: `depthUpdate` (spot U/u; USDⓈ-M U/u/pu), REST depth snapshots
 * (`{"lastUpdateId":…}`), `trade`, `aggTrade`, `bookTicker`, `markPriceUpdate`. The book follows
 * Binance's sync procedure (depth-sync.ts). Venue time: `T` (transaction time) where the message has
 * it, else `E`; spot `bookTicker` has neither and is stamped with its receive time minus the venue-to-
 * local offset last seen on a timed message. A malformed line is counted by kind and skipped.
 */
export function parseBinanceCapture(text: string, opts: BinanceReplayOptions): L2Replay {
  const report = new ReplayReport();
  const inst = opts.instrumentId;
  const file = opts.file ?? 'binance';
  const book = emptyColumns(inst, 1 << 16);
  const trades = emptyColumns(inst, 1 << 12);
  const quotes = emptyColumns(inst, 1 << 12, true);
  const marks = emptyColumns(inst, 16);
  const sync = new DepthSync(book, report, opts.onGap ?? 'resync');
  const tc = new OrderedClock(report);
  const qc = new OrderedClock(report);
  const mc = new OrderedClock(report);
  let symbol: string | undefined;
  let offset = Number.NaN; // local receive − venue time, µs
  for (const [line, n] of lines(text)) {
    if (line.trim() === '') continue;
    report.lines++;
    const where = `${file}:${n}`;
    let recv = Number.NaN;
    let json = line;
    const sp = line.indexOf(' ');
    if (line[0] !== '{') {
      const ns = sp > 0 ? Number(line.slice(0, sp)) : Number.NaN;
      if (!(Number.isFinite(ns) && ns > 0)) {
        report.bad(
          'receive_time',
          where,
          `${JSON.stringify(line.slice(0, Math.max(sp, 0) || 24))} is not a receive time in ns`,
        );
        continue;
      }
      recv = Math.floor(ns / 1000);
      json = line.slice(sp + 1);
    }
    let raw: { data?: Msg; stream?: string } & Msg;
    try {
      raw = JSON.parse(json) as typeof raw;
    } catch (e) {
      report.bad('json', where, (e as Error).message);
      continue;
    }
    if (raw === null || typeof raw !== 'object') {
      report.bad('json', where, 'not a JSON object');
      continue;
    }
    const m: Msg = raw.data && typeof raw.data === 'object' ? raw.data : raw;
    // Spot bookTicker messages have no `e`.
    const kind =
      m.lastUpdateId !== undefined
        ? 'snapshot'
        : (m.e ?? (m.u !== undefined && m.B !== undefined && m.A !== undefined ? 'bookTicker' : 'unknown'));
    try {
      // markPriceUpdate's T is the next funding time, not the message's.
      const useT = m.T !== undefined && kind !== 'markPriceUpdate';
      const venueTs = useT ? ms(m.T, 'T') : m.E !== undefined ? ms(m.E, 'E') : Number.NaN;
      if (Number.isNaN(recv)) {
        if (Number.isNaN(venueTs) && kind !== 'snapshot')
          throw new BadLine('no receive time and no event time');
        recv = venueTs;
      }
      if (!Number.isNaN(venueTs)) offset = recv - venueTs;
      if (m.s !== undefined && symbol === undefined) symbol = m.s;
      switch (kind) {
        case 'depthUpdate': {
          const d: DepthDiff = {
            U: id(m.U, 'U'),
            u: id(m.u, 'u'),
            pu: m.pu === undefined ? Number.NaN : id(m.pu, 'pu'),
            ts: Number.isNaN(venueTs) ? recv : venueTs,
            tsRecv: recv,
            sides: [],
            prices: [],
            sizes: [],
            where,
          };
          if (d.u < d.U) throw new BadLine(`u ${d.u} is before U ${d.U}`);
          levels(m.b, 'b', BID, d);
          levels(m.a, 'a', ASK, d);
          sync.diff(d);
          break;
        }
        case 'snapshot': {
          const b = { p: [] as number[], q: [] as number[] };
          const a = { p: [] as number[], q: [] as number[] };
          const L = id(m.lastUpdateId, 'lastUpdateId');
          levels(m.bids, 'bids', BID, undefined, b);
          levels(m.asks, 'asks', ASK, undefined, a);
          if (Number.isNaN(recv)) throw new BadLine('a REST snapshot needs a receive time');
          sync.snapshot({
            lastUpdateId: L,
            ts: venueTs,
            tsRecv: recv,
            bidPrices: b.p,
            bidSizes: b.q,
            askPrices: a.p,
            askSizes: a.q,
            where,
          });
          break;
        }
        case 'trade':
        case 'aggTrade': {
          const p = pos(m.p, 'p', false);
          const q = pos(m.q, 'q', false);
          if (typeof m.m !== 'boolean') throw new BadLine(`m ${JSON.stringify(m.m)} is not a boolean`);
          const tid = kind === 'trade' ? id(m.t, 't') : id((m as { a?: unknown }).a, 'a');
          tc.set(Number.isNaN(venueTs) ? recv : venueTs, recv);
          // m: the buyer is the maker, so the seller took liquidity.
          trades.addTrade(tc.ts, tc.tsRecv, p, q, m.m ? AGGRESSOR_SELL : AGGRESSOR_BUY, tid);
          report.count('trade');
          break;
        }
        case 'bookTicker': {
          const bp = pos(m.b, 'b', false);
          const bq = pos(m.B, 'B', true);
          const ap = pos(m.a, 'a', false);
          const aq = pos(m.A, 'A', true);
          const u = id(m.u, 'u');
          const ts = !Number.isNaN(venueTs) ? venueTs : Number.isNaN(offset) ? recv : recv - offset;
          qc.set(ts, recv);
          quotes.addQuote(qc.ts, qc.tsRecv, bp, bq, ap, aq, u);
          report.count('quote');
          break;
        }
        case 'markPriceUpdate': {
          const mark = pos(m.p, 'p', false);
          const rate = dec(m.r);
          if (!(Math.abs(rate) < 1)) throw new BadLine(`r ${JSON.stringify(m.r)} is not a funding rate`);
          const next = m.T !== undefined ? ms(m.T, 'T') : Number.NaN;
          const ts = m.E !== undefined ? ms(m.E, 'E') : recv;
          mc.set(ts, recv);
          marks.addMarkPrice(mc.ts, mc.tsRecv, mark, m.i === undefined ? Number.NaN : dec(m.i));
          marks.addFundingRate(mc.ts, mc.tsRecv, rate, next);
          report.count('mark');
          report.count('funding');
          break;
        }
        default:
          report.skip(`unknown:${kind}`, where, `message kind ${JSON.stringify(kind)} is not replayed`);
      }
    } catch (e) {
      if (!(e instanceof BadLine) && !(e instanceof Error && e.name === 'TickerError')) throw e;
      report.bad(kind, where, (e as Error).message);
    }
  }
  sync.finish();
  return {
    instrumentId: inst,
    symbol,
    book: book.trim(),
    trades: trades.trim(),
    quotes: quotes.trim(),
    marks: marks.trim(),
    report,
  };
}
