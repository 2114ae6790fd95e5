/** One strategy's virtual position in one instrument and what it earned and paid. */
export interface AttributionLine {
  quantity: number;
  avgPrice: number;
  realizedPnl: number;
  fees: number;
  /** Fill shares and internal crosses that changed the position. */
  fills: number;
  /** Times the position went back to flat or flipped. */
  roundTrips: number;
}

/** Strategy id of fill quantity no strategy was waiting for (e.g. a target that shrank while an order was out). */
export const UNATTRIBUTED = '(unattributed)';

const EPS = 1e-12;

/**
 * Per-strategy attribution of a manager's netted trading. Each strategy owns a virtual position that
 * moves toward its desired share of the target: opposing wants are crossed against each other at the
 * mark (no fee), and the manager's real fills are split pro rata over the strategies still waiting for
 * quantity on the fill's side (fees in the same proportion); a fill beyond what they wait for goes to
 * UNATTRIBUTED. Virtual positions therefore always sum to the manager's real position and
 * Σ (realized + unrealized − fees) over the lines equals the manager's own P&L exactly (up to float
 * rounding): crosses cancel and fill shares sum to the fill. Average-cost accounting per line.
 */
export class AttributionBook {
  /** instrument → strategy → line. */
  readonly lines = new Map<string, Map<string, AttributionLine>>();
  /** instrument → strategy → desired quantity (signed units). */
  readonly desired = new Map<string, Map<string, number>>();
  private readonly multiplier: (instrumentId: string) => number;

  constructor(multiplier: (instrumentId: string) => number = () => 1) {
    this.multiplier = multiplier;
  }

  line(instrumentId: string, strategyId: string): AttributionLine {
    let m = this.lines.get(instrumentId);
    if (!m) this.lines.set(instrumentId, (m = new Map()));
    let l = m.get(strategyId);
    if (!l)
      m.set(strategyId, (l = { quantity: 0, avgPrice: 0, realizedPnl: 0, fees: 0, fills: 0, roundTrips: 0 }));
    return l;
  }

  /** What each strategy wants now (absent strategies want 0), then crosses opposing wants at `price`. */
  setDesired(instrumentId: string, want: ReadonlyMap<string, number>, price: number): void {
    this.desired.set(instrumentId, new Map(want));
    const w = this.waiting(instrumentId);
    let pos = 0;
    let neg = 0;
    for (const x of w.values())
      if (x > 0) pos += x;
      else neg -= x;
    const cross = Math.min(pos, neg);
    if (!(cross > EPS)) return;
    for (const [sid, x] of w)
      if (x !== 0) this.trade(instrumentId, sid, x > 0 ? (cross * x) / pos : (cross * x) / neg, price, 0);
  }

  /** One real fill of the manager: signed quantity, price, fee. */
  onFill(instrumentId: string, quantity: number, price: number, fee: number): void {
    const w = this.waiting(instrumentId);
    let total = 0;
    for (const x of w.values()) if (x * quantity > 0) total += Math.abs(x);
    const abs = Math.abs(quantity);
    const alloc = Math.min(abs, total);
    for (const [sid, x] of w)
      if (x * quantity > 0) {
        const part = (alloc * Math.abs(x)) / total;
        this.trade(instrumentId, sid, Math.sign(quantity) * part, price, (fee * part) / abs);
      }
    const rest = abs - alloc;
    if (rest > EPS)
      this.trade(instrumentId, UNATTRIBUTED, Math.sign(quantity) * rest, price, (fee * rest) / abs);
  }

  /** desired − held for every strategy with a line or a desire. */
  private waiting(instrumentId: string): Map<string, number> {
    const out = new Map<string, number>();
    const want = this.desired.get(instrumentId);
    const lines = this.lines.get(instrumentId);
    if (lines) for (const [sid, l] of lines) if (sid !== UNATTRIBUTED) out.set(sid, -l.quantity);
    if (want) for (const [sid, q] of want) out.set(sid, (out.get(sid) ?? 0) + q);
    for (const [sid, x] of out) if (Math.abs(x) <= EPS) out.set(sid, 0);
    return out;
  }

  private trade(instrumentId: string, strategyId: string, dq: number, price: number, fee: number): void {
    const l = this.line(instrumentId, strategyId);
    l.fees += fee;
    if (Math.abs(dq) <= EPS) return;
    l.fills++;
    const q = l.quantity;
    if (q === 0 || Math.sign(q) === Math.sign(dq)) {
      l.avgPrice = (l.avgPrice * Math.abs(q) + price * Math.abs(dq)) / (Math.abs(q) + Math.abs(dq));
      l.quantity = q + dq;
      return;
    }
    const closing = Math.min(Math.abs(dq), Math.abs(q));
    l.realizedPnl += closing * (price - l.avgPrice) * Math.sign(q) * this.multiplier(instrumentId);
    let nq = q + dq;
    if (Math.abs(nq) <= EPS * Math.max(1, Math.abs(q))) nq = 0;
    l.quantity = nq;
    if (nq === 0 || Math.sign(nq) !== Math.sign(q)) {
      l.roundTrips++;
      l.avgPrice = nq === 0 ? 0 : price;
    }
  }

  /** realized + (mark − avg) × quantity × multiplier − fees, per line. */
  unrealized(instrumentId: string, line: AttributionLine, mark: number): number {
    return line.quantity === 0 ? 0 : (mark - line.avgPrice) * line.quantity * this.multiplier(instrumentId);
  }

  toJSON(): unknown {
    return {
      lines: [...this.lines].map(([i, m]) => [i, [...m]]),
      desired: [...this.desired].map(([i, m]) => [i, [...m]]),
    };
  }

  restore(s: unknown): void {
    const st = s as {
      lines: [string, [string, AttributionLine][]][];
      desired: [string, [string, number][]][];
    };
    this.lines.clear();
    this.desired.clear();
    for (const [i, rows] of st.lines) this.lines.set(i, new Map(rows.map(([k, l]) => [k, { ...l }])));
    for (const [i, rows] of st.desired) this.desired.set(i, new Map(rows));
  }
}
