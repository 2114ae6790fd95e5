import {
  CashLedger,
  type Fill,
  type Instrument,
  type InstrumentId,
  Position,
  TickerError,
  type UnixMicros,
  invalid,
} from '../model/index.js';
import { TradeLog } from './trades.js';

/**
 * 'cash': buying pays the notional out of cash and selling brings it in (spot, equities; a short is
 * a negative holding whose proceeds sit in cash). 'margin': only realized P&L, fees and funding move
 * cash, and open positions count by their unrealized P&L (perpetuals, futures).
 */
export type AccountType = 'cash' | 'margin';

export interface PortfolioOptions {
  readonly baseCurrency: string;
  readonly startingCash: number;
  readonly accountType?: AccountType;
  readonly currencyDecimals?: Record<string, number>;
}

/** Positions, the cash ledger and closed trades of one account. */
export class Portfolio {
  readonly baseCurrency: string;
  readonly accountType: AccountType;
  readonly ledger: CashLedger;
  readonly trades = new TradeLog();
  readonly startingCash: number;
  private readonly positionList: Position[] = [];
  private readonly byId = new Map<string, Position>();
  private lastPosition: Position | undefined = undefined;
  private readonly instruments = new Map<string, Instrument>();
  private lastInstrument: Instrument | undefined = undefined;
  totalFees = 0;
  totalFunding = 0;
  /** Float mirror of the base currency balance, refreshed after every posting (read every bar). */
  private baseCash = 0;
  fillCount = 0;

  constructor(opts: PortfolioOptions) {
    if (!(opts.startingCash >= 0 && Number.isFinite(opts.startingCash)))
      throw invalid('portfolio.startingCash', opts.startingCash, 'must be a finite number >= 0');
    this.baseCurrency = opts.baseCurrency;
    this.accountType = opts.accountType ?? 'cash';
    this.startingCash = opts.startingCash;
    this.ledger = new CashLedger(opts.currencyDecimals);
    if (opts.startingCash > 0)
      this.ledger.post(0, this.baseCurrency, 'deposit', opts.startingCash, 'initial');
    this.baseCash = this.ledger.balance(this.baseCurrency);
  }

  register(instrument: Instrument): Position {
    const existing = this.byId.get(instrument.id);
    if (existing) return existing;
    if (instrument.quote !== this.baseCurrency)
      throw new TickerError(
        'CURRENCY_MISMATCH',
        `instrument ${instrument.id} is quoted in ${instrument.quote} but the account's currency is ${this.baseCurrency}; ` +
          'set the account currency to the quote currency (multi-currency conversion is not built yet)',
        { field: 'instrument.quote', value: instrument.quote },
      );
    const p = new Position(instrument.id, instrument.sizeDecimals, instrument.multiplier);
    this.positionList.push(p);
    this.byId.set(instrument.id, p);
    this.instruments.set(instrument.id, instrument);
    return p;
  }

  position(id: InstrumentId | string): Position | undefined {
    // Consecutive look-ups are nearly always for the same instrument.
    const last = this.lastPosition;
    if (last !== undefined && last.instrumentId === id) return last;
    const p = this.byId.get(id);
    if (p) this.lastPosition = p;
    return p;
  }

  positions(): readonly Position[] {
    return this.positionList;
  }

  /** Books a fill: position, cash ledger (notional or realized P&L, then the fee) and the trade log. */
  applyFill(fill: Fill, bar = -1): void {
    fill.realizedPnl = this.book(
      fill.instrumentId,
      fill.side === 'buy' ? fill.quantity : -fill.quantity,
      fill.price,
      fill.fee,
      fill.feeCurrency,
      fill.ts,
      fill.id,
      bar,
    );
  }

  /**
   * Books a fill given as its fields (the execution engine's path: no Fill object needed) and returns the
   * P&L it realized. `signedQty` > 0 buys, < 0 sells; `ref` is the fill id the ledger entries point to,
   * or its number (the ledger spells it with `ledger.spellRef` when read).
   */
  book(
    instrumentId: string,
    signedQty: number,
    price: number,
    fee: number,
    feeCurrency: string,
    ts: UnixMicros,
    ref: string | number,
    bar = -1,
  ): number {
    const pos = this.position(instrumentId);
    let inst = this.lastInstrument;
    if (inst === undefined || inst.id !== instrumentId)
      this.lastInstrument = inst = this.instruments.get(instrumentId);
    if (!pos || !inst)
      throw invalid('fill.instrumentId', instrumentId, 'is not registered with the portfolio');
    const realized = pos.applyFill(signedQty, price, ts);
    if (this.accountType === 'cash')
      this.ledger.post(ts, inst.quote, 'trade', -signedQty * price * inst.multiplier, ref);
    else if (realized !== 0) this.ledger.post(ts, inst.quote, 'realized-pnl', realized, ref);
    if (fee !== 0) {
      this.ledger.post(ts, feeCurrency, 'fee', -fee, ref);
      pos.fees += fee;
      this.totalFees += fee;
    }
    this.fillCount++;
    this.baseCash = this.ledger.balance(this.baseCurrency);
    this.trades.onFill(inst.id, signedQty, price, fee, ts, bar, inst.multiplier);
    return realized;
  }

  /** Books a funding payment on a perpetual position (positive = received). */
  applyFunding(instrumentId: InstrumentId, amount: number, ts: UnixMicros, ref: string): void {
    const pos = this.byId.get(instrumentId);
    const inst = this.instruments.get(instrumentId);
    if (!pos || !inst)
      throw invalid('funding.instrumentId', instrumentId, 'is not registered with the portfolio');
    this.ledger.post(ts, inst.quote, 'funding', amount, ref);
    pos.funding -= amount;
    this.totalFunding += amount;
    this.baseCash = this.ledger.balance(this.baseCurrency);
  }

  /** Sets the mark price of an instrument (hot path: called every bar). */
  mark(position: Position, price: number): void {
    position.lastPrice = price;
  }

  cash(): number {
    return this.baseCash;
  }

  /** Cash plus open positions at their last prices (hot path). */
  equity(): number {
    let e = this.baseCash;
    const ps = this.positionList;
    if (this.accountType === 'cash') {
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (p.quantity !== 0) e += p.quantity * p.lastPrice * p.multiplier;
      }
    } else {
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (p.quantity !== 0) e += (p.lastPrice - p.averagePrice) * p.quantity * p.multiplier;
      }
    }
    return e;
  }

  /** Gross exposure: Σ |quantity × price|. */
  grossExposure(): number {
    let x = 0;
    for (const p of this.positionList)
      if (p.quantity !== 0) x += Math.abs(p.quantity * p.lastPrice * p.multiplier);
    return x;
  }

  hasExposure(): boolean {
    const ps = this.positionList;
    for (let i = 0; i < ps.length; i++) if (ps[i]!.quantity !== 0) return true;
    return false;
  }
}
