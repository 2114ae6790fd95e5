import { ASK, BID, type InstrumentId, TickerError } from '../../model/index.js';
import { type DepthDiff, type DepthSnapshot, DepthSync, type GapPolicy } from './depth-sync.js';
import { type L2Replay, emptyColumns, lines } from './columns.js';
import { ReplayReport } from './report.js';

export interface NautilusDepthOptions {
  readonly instrumentId: InstrumentId;
  readonly onGap?: GapPolicy;
}

const HEADER = 'symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu';

class BadRow extends Error {}

interface Group {
  ts: number;
  U: number;
  u: number;
  pu: number;
  snap: boolean;
  where: string;
  sides: number[];
  prices: number[];
  sizes: number[];
  order: number;
}

/**
 * Reads NautilusTrader's Binance depth CSVs (`symbol,timestamp,first_update_id,last_update_id,side,
 * update_type,price,qty,pu`; `snap` rows are a REST snapshot, `set` rows `depthUpdate` diffs; timestamp
 * in ms) from one or more files into one book stream. Rows with the same update ids are one message. The
 * files carry no receive time, so `tsRecv` is the venue time. Messages from all files are taken in time
 * order (snapshots first at equal times) and synced like a live capture (depth-sync.ts).
 */
export function parseNautilusDepthCsv(
  files: readonly { text: string; file: string }[],
  opts: NautilusDepthOptions,
): L2Replay {
  const report = new ReplayReport();
  const inst = opts.instrumentId;
  const groups: Group[] = [];
  let symbol: string | undefined;
  for (const { text, file } of files) {
    let cur: Group | undefined;
    for (const [line, n] of lines(text)) {
      if (n === 1) {
        if (line.trim() !== HEADER)
          throw new TickerError('CSV_PARSE', `${file}:1: header ${JSON.stringify(line)} is not ${HEADER}`, {
            field: `${file}:1`,
            value: line,
          });
        continue;
      }
      if (line.trim() === '') continue;
      report.lines++;
      const where = `${file}:${n}`;
      const c = line.split(',');
      try {
        if (c.length !== 9) throw new BadRow(`${c.length} fields, expected 9`);
        const [sym, tsS, US, uS, side, type, pS, qS, puS] = c as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        symbol ??= sym;
        if (sym !== symbol) {
          report.skip('other_symbol', where, `symbol ${sym} is not ${symbol}`);
          continue;
        }
        const ts = Number(tsS);
        if (!(Number.isInteger(ts) && ts > 0))
          throw new BadRow(`timestamp ${JSON.stringify(tsS)} is not epoch ms`);
        const U = Number(US);
        const u = Number(uS);
        const pu = Number(puS);
        if (!(Number.isInteger(U) && Number.isInteger(u) && u >= U))
          throw new BadRow(`update ids ${US}..${uS} are not a range`);
        if (!Number.isInteger(pu)) throw new BadRow(`pu ${JSON.stringify(puS)} is not an update id`);
        if (side !== 'b' && side !== 'a') throw new BadRow(`side ${JSON.stringify(side)} is not b or a`);
        if (type !== 'snap' && type !== 'set')
          throw new BadRow(`update_type ${JSON.stringify(type)} is not snap or set`);
        const p = Number(pS);
        const q = Number(qS);
        if (!(p > 0 && Number.isFinite(p))) throw new BadRow(`price ${JSON.stringify(pS)} is not positive`);
        if (!(q >= 0 && Number.isFinite(q))) throw new BadRow(`qty ${JSON.stringify(qS)} is not a size >= 0`);
        const snap = type === 'snap';
        if (!cur || cur.u !== u || cur.U !== U || cur.snap !== snap || cur.ts !== ts * 1000) {
          cur = {
            ts: ts * 1000,
            U,
            u,
            pu,
            snap,
            where,
            sides: [],
            prices: [],
            sizes: [],
            order: groups.length,
          };
          groups.push(cur);
        }
        cur.sides.push(side === 'b' ? BID : ASK);
        cur.prices.push(p);
        cur.sizes.push(q);
      } catch (e) {
        if (!(e instanceof BadRow)) throw e;
        report.bad('depth', where, e.message);
      }
    }
  }
  groups.sort((a, b) => a.ts - b.ts || Number(b.snap) - Number(a.snap) || a.order - b.order);
  const book = emptyColumns(
    inst,
    groups.reduce((a, g) => a + g.prices.length + 1, 0),
  );
  const sync = new DepthSync(book, report, opts.onGap ?? 'resync');
  for (const g of groups) {
    if (g.snap) {
      const s: DepthSnapshot = {
        lastUpdateId: g.u,
        ts: g.ts,
        tsRecv: g.ts,
        bidPrices: [],
        bidSizes: [],
        askPrices: [],
        askSizes: [],
        where: g.where,
      };
      g.prices.forEach((p, i) => {
        if (g.sides[i] === BID) {
          s.bidPrices.push(p);
          s.bidSizes.push(g.sizes[i]!);
        } else {
          s.askPrices.push(p);
          s.askSizes.push(g.sizes[i]!);
        }
      });
      sync.snapshot(s);
    } else {
      const d: DepthDiff = {
        U: g.U,
        u: g.u,
        pu: g.pu,
        ts: g.ts,
        tsRecv: g.ts,
        sides: g.sides,
        prices: g.prices,
        sizes: g.sizes,
        where: g.where,
      };
      sync.diff(d);
    }
  }
  sync.finish();
  const empty = (q = false) => emptyColumns(inst, 1, q).trim();
  return {
    instrumentId: inst,
    symbol,
    book: book.trim(),
    trades: empty(),
    quotes: empty(true),
    marks: empty(),
    report,
  };
}
