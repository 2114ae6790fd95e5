import type { InstrumentId, UnixMicros } from '../model/index.js';

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
 * Pairs opening and closing fills into closed trades, first in first out, per instrument, the way
 * backtesting.py closes its oldest trades first.
 */
export class TradeLog {
  readonly closed: ClosedTrade[] = [];
  private readonly lots = new Map<string, Lot[]>();
  private lastId = '';
  private lastLots: Lot[] | undefined;

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
      if (!lots) this.lots.set(instrumentId, (lots = []));
      this.lastId = instrumentId;
      this.lastLots = lots;
    }
    const feePerUnit = fee / Math.abs(signedQty);
    let rest = signedQty;
    while (rest !== 0 && lots.length && Math.sign(lots[0]!.size) !== Math.sign(rest)) {
      const lot = lots[0]!;
      const q = Math.min(Math.abs(lot.size), Math.abs(rest));
      const size = Math.sign(lot.size) * q;
      const fees = q * (lot.feePerUnit + feePerUnit);
      const pnl = size * (price - lot.price) * multiplier - fees;
      this.closed.push({
        instrumentId,
        size,
        entryPrice: lot.price,
        exitPrice: price,
        entryTs: lot.ts,
        exitTs: ts,
        entryBar: lot.bar,
        exitBar: bar,
        fees,
        pnl,
        returnPct: pnl / (q * lot.price * multiplier),
        tag: lot.tag,
      });
      lot.size -= size;
      rest += size;
      if (Math.abs(lot.size) < 1e-12) lots.shift();
      if (Math.abs(rest) < 1e-12) rest = 0;
    }
    if (rest !== 0) lots.push({ size: rest, price, ts, bar, feePerUnit, tag });
  }

  /** The trades still open, as lots. */
  openLots(instrumentId?: InstrumentId): readonly Readonly<Lot>[] {
    if (instrumentId) return this.lots.get(instrumentId) ?? [];
    return [...this.lots.values()].flat();
  }
}
