import type { InstrumentId, UnixMicros } from './ids.js';
import { roundTo } from './precision.js';
import { liveShapes } from './shapes.js';

/**
 * A netting position: one signed quantity per instrument. Buys add, sells subtract; a fill that goes
 * through zero closes the old side (realizing P&L against the average price) and opens the new side at
 * the fill price.
 */
export class Position {
  readonly instrumentId: InstrumentId;
  readonly multiplier: number;
  private readonly sizeDecimals: number;
  /** Signed quantity: > 0 long, < 0 short. */
  quantity = 0;
  averagePrice = 0;
  /** Realized P&L in the quote currency, before fees and funding. */
  realizedPnl = 0;
  /** Fees and funding booked against this position (quote currency; positive = paid). */
  fees = 0;
  funding = 0;
  lastPrice = Number.NaN;
  openedAt: UnixMicros = 0;
  /** The number of fills that changed this position. */
  fillCount = 0;

  constructor(instrumentId: InstrumentId, sizeDecimals = 12, multiplier = 1) {
    this.instrumentId = instrumentId;
    this.sizeDecimals = sizeDecimals;
    this.multiplier = multiplier;
    liveShapes.position = this;
  }

  get isFlat(): boolean {
    return this.quantity === 0;
  }
  get isLong(): boolean {
    return this.quantity > 0;
  }
  get isShort(): boolean {
    return this.quantity < 0;
  }

  /** Unrealized P&L at `mark` (defaults to the last price seen). */
  unrealizedPnl(mark: number = this.lastPrice): number {
    if (this.quantity === 0) return 0;
    return (mark - this.averagePrice) * this.quantity * this.multiplier;
  }

  /**
   * Applies a fill of `signedQty` (> 0 buy, < 0 sell) at `price` and returns the P&L it realized.
   */
  applyFill(signedQty: number, price: number, ts: UnixMicros): number {
    const q0 = this.quantity;
    const q1 = roundTo(q0 + signedQty, this.sizeDecimals);
    let realized = 0;
    if (q0 === 0 || Math.sign(q0) === Math.sign(signedQty)) {
      // Opening or adding: volume-weighted average entry.
      this.averagePrice = (this.averagePrice * Math.abs(q0) + price * Math.abs(signedQty)) / Math.abs(q1);
      if (q0 === 0) this.openedAt = ts;
    } else {
      const closing = Math.min(Math.abs(q0), Math.abs(signedQty));
      realized = closing * (price - this.averagePrice) * Math.sign(q0) * this.multiplier;
      if (q1 === 0) this.averagePrice = 0;
      else if (Math.sign(q1) !== Math.sign(q0)) {
        // Flipped through zero: the remainder opens a new position at the fill price.
        this.averagePrice = price;
        this.openedAt = ts;
      }
    }
    this.quantity = q1;
    this.realizedPnl += realized;
    this.lastPrice = price;
    this.fillCount++;
    return realized;
  }
}
