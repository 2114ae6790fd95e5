import { ChunkedList, type InstrumentId, RowStore, type UnixMicros } from '../model/index.js';

/** A round trip: a quantity opened by one fill and closed by another (FIFO lots). */
export interface ClosedTrade {
  readonly instrumentId: InstrumentId;
  /** Signed size: > 0 a long trade, < 0 a short one. */
  readonly size: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly entryTs: UnixMicros;
  readonly exitTs: UnixMicros;
  readonly entryBar: number;
  readonly exitBar: number;
  /** Entry and exit fees allocated to this quantity (quote currency). */
  readonly fees: number;
  /** Net profit: size × (exit − entry) × multiplier − fees. */
  readonly pnl: number;
  /** Net return on the entry notional: pnl / (|size| × entry × multiplier). */
  readonly returnPct: number;
  readonly tag: string | undefined;
}

interface Lot {
  size: number;
  price: number;
  ts: number;
  bar: number;
  feePerUnit: number;
  tag: string | undefined;
}

/**
 * One instrument's open lots, oldest first. The Lot objects are reused: a lot that closes goes back to the
 * pool and the next opening fill overwrites it (its fields stay doubles written in place). An array used
 * as a queue (`push`, then `shift` to empty) allocated a new lot, its boxed numbers and new storage for
 * the array on nearly every round trip.
 */
class LotQueue {
  private readonly items: Lot[] = [];
  private head = 0;
  private end = 0;

  get size(): number {
    return this.end - this.head;
  }

  /** The oldest lot (call only when size > 0). */
  first(): Lot {
    return this.items[this.head]!;
  }

  shift(): void {
    if (++this.head === this.end) this.head = this.end = 0;
  }

  push(
    size: number,
    price: number,
    ts: number,
    bar: number,
    feePerUnit: number,
    tag: string | undefined,
  ): void {
    if (this.head > 0 && this.end === this.items.length) this.compact();
    let lot = this.items[this.end];
    if (lot === undefined) {
      lot = {
        size: Number.NaN,
        price: Number.NaN,
        ts: Number.NaN,
        bar: 0,
        feePerUnit: Number.NaN,
        tag: undefined,
      };
      this.items.push(lot);
    }
    lot.size = size;
    lot.price = price;
    lot.ts = ts;
    lot.bar = bar;
    lot.feePerUnit = feePerUnit;
    lot.tag = tag;
    this.end++;
  }

  /** Moves the open lots to the front (their objects with them; the closed ones go after, for reuse). */
  private compact(): void {
    const items = this.items;
    const live = items.splice(this.head, this.end - this.head);
    items.unshift(...live);
    this.end -= this.head;
    this.head = 0;
  }

  /** Copies of the open lots (the objects themselves are reused). */
  snapshot(): Lot[] {
    const out: Lot[] = [];
    for (let i = this.head; i < this.end; i++) out.push({ ...this.items[i]! });
    return out;
  }
}

/** Numeric columns of a closed trade, in the order `TradeLog` stores them. */
const SIZE = 0;
const ENTRY_PX = 1;
const EXIT_PX = 2;
const ENTRY_TS = 3;
const EXIT_TS = 4;
const ENTRY_BAR = 5;
const EXIT_BAR = 6;
const FEES = 7;
const PNL = 8;
const RET = 9;
const COLS = 10;

/**
 * Pairs opening and closing fills into closed trades, first in first out, per instrument, the way
 * backtesting.py closes its oldest trades first.
 *
 * Closed trades are stored as rows of ten numbers (a RowStore) plus the
 * instrument and tag of each: an order-heavy backtest closes tens of thousands of trades, and as objects
 * (each number boxed) they were a large share of what the garbage collector copied and of the fresh
 * memory a run touched (docs/BENCHMARKS.md). `closed` builds the objects on first read, in order, and
 * keeps them, so reading twice gives the same objects.
 */
export class TradeLog {
  private readonly rows = new RowStore(COLS);
  private readonly instrumentIds = new ChunkedList<InstrumentId>();
  private readonly tags = new ChunkedList<string | undefined>();
  private readonly objects: ClosedTrade[] = [];
  private readonly lots = new Map<string, LotQueue>();
  private lastId = '';
  private lastLots: LotQueue | undefined = undefined;

  /** How many trades have closed (no objects built). */
  get length(): number {
    return this.rows.length;
  }

  /** Every closed trade, oldest first (objects built on first read, then kept). */
  get closed(): readonly ClosedTrade[] {
    const rows = this.rows;
    for (let i = this.objects.length; i < rows.length; i++) {
      const r = rows.chunk(i);
      const o = rows.offset(i);
      this.objects.push({
        instrumentId: this.instrumentIds.get(i),
        size: r[o + SIZE]!,
        entryPrice: r[o + ENTRY_PX]!,
        exitPrice: r[o + EXIT_PX]!,
        entryTs: r[o + ENTRY_TS]!,
        exitTs: r[o + EXIT_TS]!,
        entryBar: r[o + ENTRY_BAR]!,
        exitBar: r[o + EXIT_BAR]!,
        fees: r[o + FEES]!,
        pnl: r[o + PNL]!,
        returnPct: r[o + RET]!,
        tag: this.tags.get(i),
      });
    }
    return this.objects;
  }

  /** Records a fill; `fee` is the fill's whole fee. */
  onFill(
    instrumentId: InstrumentId,
    signedQty: number,
    price: number,
    fee: number,
    ts: UnixMicros,
    bar: number,
    multiplier = 1,
    tag?: string,
  ): void {
    let lots = this.lastLots;
    if (lots === undefined || instrumentId !== this.lastId) {
      lots = this.lots.get(instrumentId);
      if (!lots) this.lots.set(instrumentId, (lots = new LotQueue()));
      this.lastId = instrumentId;
      this.lastLots = lots;
    }
    const feePerUnit = fee / Math.abs(signedQty);
    let rest = signedQty;
    while (rest !== 0 && lots.size > 0 && Math.sign(lots.first().size) !== Math.sign(rest)) {
      const lot = lots.first();
      const q = Math.min(Math.abs(lot.size), Math.abs(rest));
      const size = Math.sign(lot.size) * q;
      const fees = q * (lot.feePerUnit + feePerUnit);
      const pnl = size * (price - lot.price) * multiplier - fees;
      const r = this.rows.append();
      const o = this.rows.at;
      r[o + SIZE] = size;
      r[o + ENTRY_PX] = lot.price;
      r[o + EXIT_PX] = price;
      r[o + ENTRY_TS] = lot.ts;
      r[o + EXIT_TS] = ts;
      r[o + ENTRY_BAR] = lot.bar;
      r[o + EXIT_BAR] = bar;
      r[o + FEES] = fees;
      r[o + PNL] = pnl;
      r[o + RET] = pnl / (q * lot.price * multiplier);
      this.instrumentIds.push(instrumentId);
      this.tags.push(lot.tag);
      lot.size -= size;
      rest += size;
      if (Math.abs(lot.size) < 1e-12) lots.shift();
      if (Math.abs(rest) < 1e-12) rest = 0;
    }
    if (rest !== 0) lots.push(rest, price, ts, bar, feePerUnit, tag);
  }

  /** The trades still open, as lots. */
  openLots(instrumentId?: InstrumentId): readonly Readonly<Lot>[] {
    if (instrumentId) return this.lots.get(instrumentId)?.snapshot() ?? [];
    return [...this.lots.values()].flatMap((q) => q.snapshot());
  }
}
