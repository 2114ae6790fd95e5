import {
  AGGRESSOR_BUY,
  AGGRESSOR_NONE,
  AGGRESSOR_SELL,
  ASK,
  BID,
  F_LAST,
  F_SNAPSHOT,
  type InstrumentId,
  TickerError,
} from '../../model/index.js';
import { type L2Replay, OrderedClock, emptyColumns, lines } from './columns.js';
import { ReplayReport } from './report.js';

export interface TardisReplayOptions {
  readonly instrumentId: InstrumentId;
  readonly file?: string;
  /** Only rows of this symbol (default: the first row's); other rows are counted as skipped. */
  readonly symbol?: string;
}

export type TardisDataType =
  'incremental_book_L2' | 'book_snapshot' | 'trades' | 'quotes' | 'derivative_ticker';

class BadRow extends Error {}

const REQUIRED: Record<TardisDataType, readonly string[]> = {
  incremental_book_L2: ['is_snapshot', 'side', 'price', 'amount'],
  book_snapshot: ['asks[0].price', 'bids[0].price'],
  trades: ['id', 'side', 'price', 'amount'],
  quotes: ['ask_amount', 'ask_price', 'bid_price', 'bid_amount'],
  derivative_ticker: ['funding_rate', 'mark_price'],
};

/** Which of tardis.dev's CSV data types a header is (https://docs.tardis.dev/downloadable-csv-files). */
export function tardisDataType(header: readonly string[]): TardisDataType | undefined {
  const has = (c: string) => header.includes(c);
  if (!has('timestamp') || !has('local_timestamp')) return undefined;
  for (const t of Object.keys(REQUIRED) as TardisDataType[]) if (REQUIRED[t].every(has)) return t;
  return undefined;
}

/**
 * Reads one tardis.dev CSV file (incremental_book_L2, book_snapshot_N, trades, quotes or
 * derivative_ticker, detected from its header) into replay streams. `timestamp` is the venue's time and
 * `local_timestamp` tardis' receive time, both µs. incremental_book_L2: rows with the same timestamps and
 * snapshot flag are one venue message (the last gets F_LAST); a snapshot that follows updates empties
 * the book first, as tardis documents. Tardis has no update ids, so deltas are numbered by message.
 * Trade ids that are not numbers (BitMEX's UUIDs) are stored as 0.
 */
export function parseTardisCsv(text: string, opts: TardisReplayOptions): L2Replay {
  const report = new ReplayReport();
  const file = opts.file ?? 'tardis.csv';
  const inst = opts.instrumentId;
  const book = emptyColumns(inst, 1 << 14);
  const trades = emptyColumns(inst, 1 << 12);
  const quotes = emptyColumns(inst, 1 << 10, true);
  const marks = emptyColumns(inst, 16);
  const it = lines(text);
  const head = it.next();
  const header = head.done ? [] : head.value[0].split(',');
  const type = tardisDataType(header);
  if (!type)
    throw new TickerError(
      'CSV_PARSE',
      `${file}:1: header ${JSON.stringify(head.done ? '' : head.value[0])} is not a tardis.dev CSV data type`,
      {
        field: `${file}:1`,
        value: head.done ? '' : head.value[0],
      },
    );
  const col = (name: string) => header.indexOf(name);
  const cTs = col('timestamp');
  const cRecv = col('local_timestamp');
  const cSym = col('symbol');
  const clock = new OrderedClock(report);
  let symbol = opts.symbol;
  const num = (cells: string[], name: string, c = col(name)): number => {
    const v = cells[c];
    const x = v === undefined || v === '' ? Number.NaN : Number(v);
    if (!Number.isFinite(x)) throw new BadRow(`${name} ${JSON.stringify(v ?? null)} is not a number`);
    return x;
  };
  const micros = (cells: string[], name: string, c: number): number => {
    const x = num(cells, name, c);
    if (!Number.isInteger(x) || x <= 0) throw new BadRow(`${name} ${x} is not epoch microseconds`);
    return x;
  };

  // incremental_book_L2: the rows of the current message, written when the next message starts.
  const g = {
    ts: Number.NaN,
    recv: Number.NaN,
    snap: false,
    sides: [] as number[],
    prices: [] as number[],
    sizes: [] as number[],
  };
  let seq = 0;
  let inSnapshot = false;
  const flush = () => {
    const n = g.prices.length;
    if (n === 0) return;
    seq++;
    if (g.snap && !inSnapshot) {
      book.addClear(g.ts, g.recv, seq);
      report.count('snapshot');
    }
    inSnapshot = g.snap;
    const f = g.snap ? F_SNAPSHOT : 0;
    for (let i = 0; i < n; i++)
      book.addDelta(
        g.ts,
        g.recv,
        seq,
        g.sides[i]! > 0 ? BID : ASK,
        g.prices[i]!,
        g.sizes[i]!,
        f | (i === n - 1 ? F_LAST : 0),
      );
    report.count('delta', n);
    g.sides.length = g.prices.length = g.sizes.length = 0;
  };
  const levelsN = type === 'book_snapshot' ? header.filter((h) => /^asks\[\d+\]\.price$/.test(h)).length : 0;

  for (const [line, n] of it) {
    if (line.trim() === '') continue;
    report.lines++;
    const where = `${file}:${n}`;
    const cells = line.split(',');
    try {
      if (cells.length !== header.length)
        throw new BadRow(`${cells.length} fields, the header has ${header.length}`);
      if (cSym >= 0) {
        const s = cells[cSym]!;
        symbol ??= s;
        if (s !== symbol) {
          report.skip('other_symbol', where, `symbol ${s} is not ${symbol}`);
          continue;
        }
      }
      clock.set(micros(cells, 'timestamp', cTs), micros(cells, 'local_timestamp', cRecv));
      const ts = clock.ts;
      const recv = clock.tsRecv;
      switch (type) {
        case 'incremental_book_L2': {
          const snapCell = cells[col('is_snapshot')];
          if (snapCell !== 'true' && snapCell !== 'false')
            throw new BadRow(`is_snapshot ${JSON.stringify(snapCell)} is not true or false`);
          const sideCell = cells[col('side')];
          if (sideCell !== 'bid' && sideCell !== 'ask')
            throw new BadRow(`side ${JSON.stringify(sideCell)} is not bid or ask`);
          const price = num(cells, 'price');
          const amount = num(cells, 'amount');
          if (!(price > 0)) throw new BadRow(`price ${price} is not positive`);
          if (!(amount >= 0)) throw new BadRow(`amount ${amount} is negative`);
          const snap = snapCell === 'true';
          if (ts !== g.ts || recv !== g.recv || snap !== g.snap) {
            flush();
            g.ts = ts;
            g.recv = recv;
            g.snap = snap;
          }
          g.sides.push(sideCell === 'bid' ? BID : ASK);
          g.prices.push(price);
          g.sizes.push(amount);
          break;
        }
        case 'book_snapshot': {
          const bp: number[] = [];
          const bq: number[] = [];
          const ap: number[] = [];
          const aq: number[] = [];
          for (let k = 0; k < levelsN; k++)
            for (const [side, p, q] of [
              ['asks', ap, aq],
              ['bids', bp, bq],
            ] as const) {
              const c = col(`${side}[${k}].price`);
              if (cells[c] === '') continue; // fewer levels than the header allows
              const price = num(cells, `${side}[${k}].price`, c);
              const amount = num(cells, `${side}[${k}].amount`);
              if (!(price > 0 && amount >= 0))
                throw new BadRow(`${side}[${k}] ${price} × ${amount} is not a level`);
              p.push(price);
              q.push(amount);
            }
          seq++;
          book.addClear(ts, recv, seq);
          const total = bp.length + ap.length;
          let w = 0;
          for (let i = 0; i < bp.length; i++)
            book.addDelta(ts, recv, seq, BID, bp[i]!, bq[i]!, F_SNAPSHOT | (++w === total ? F_LAST : 0));
          for (let i = 0; i < ap.length; i++)
            book.addDelta(ts, recv, seq, ASK, ap[i]!, aq[i]!, F_SNAPSHOT | (++w === total ? F_LAST : 0));
          report.count('snapshot');
          report.count('delta', total);
          break;
        }
        case 'trades': {
          const side = cells[col('side')];
          if (side !== 'buy' && side !== 'sell' && side !== 'unknown')
            throw new BadRow(`side ${JSON.stringify(side)} is not buy, sell or unknown`);
          const price = num(cells, 'price');
          const amount = num(cells, 'amount');
          if (!(price > 0 && amount > 0))
            throw new BadRow(`price ${price} and amount ${amount} must be positive`);
          const tid = Number(cells[col('id')]);
          trades.addTrade(
            ts,
            recv,
            price,
            amount,
            side === 'buy' ? AGGRESSOR_BUY : side === 'sell' ? AGGRESSOR_SELL : AGGRESSOR_NONE,
            Number.isFinite(tid) ? tid : 0,
          );
          report.count('trade');
          break;
        }
        case 'quotes': {
          quotes.addQuote(
            ts,
            recv,
            num(cells, 'bid_price'),
            num(cells, 'bid_amount'),
            num(cells, 'ask_price'),
            num(cells, 'ask_amount'),
          );
          report.count('quote');
          break;
        }
        case 'derivative_ticker': {
          const rate = cells[col('funding_rate')];
          if (rate !== '') {
            const ft = col('funding_timestamp');
            marks.addFundingRate(
              ts,
              recv,
              num(cells, 'funding_rate'),
              ft >= 0 && cells[ft] !== '' ? num(cells, 'funding_timestamp', ft) : Number.NaN,
            );
            report.count('funding');
          }
          if (cells[col('mark_price')] !== '') {
            const ic = col('index_price');
            marks.addMarkPrice(
              ts,
              recv,
              num(cells, 'mark_price'),
              ic >= 0 && cells[ic] !== '' ? num(cells, 'index_price', ic) : Number.NaN,
            );
            report.count('mark');
          }
        }
      }
    } catch (e) {
      if (!(e instanceof BadRow) && !(e instanceof TickerError)) throw e;
      report.bad(type, where, (e as Error).message);
    }
  }
  flush();
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
