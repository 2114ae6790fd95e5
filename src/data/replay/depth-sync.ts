import { ASK, BID, F_LAST, F_SNAPSHOT, type MarketEventColumns } from '../../model/index.js';
import type { ReplayReport } from './report.js';

/** One Binance-style depth diff: update ids U..u, pu = the previous diff's u (USDⓈ-M; NaN on spot). */
export interface DepthDiff {
  U: number;
  u: number;
  pu: number;
  ts: number;
  tsRecv: number;
  /** BID/ASK, price, size per level, in the message's order. */
  sides: number[];
  prices: number[];
  sizes: number[];
  where: string;
}

export interface DepthSnapshot {
  lastUpdateId: number;
  /** The venue's time of the snapshot; NaN when the message has none (Binance spot REST). */
  ts: number;
  tsRecv: number;
  bidPrices: number[];
  bidSizes: number[];
  askPrices: number[];
  askSizes: number[];
  where: string;
}

/**
 * What to do when an update does not continue the previous one (or the first update after a snapshot
 * does not straddle it): 'resync' (Binance's documented procedure) drops updates until a later snapshot
 * re-syncs the book; 'continue' applies them anyway (the book may be wrong until the levels refresh).
 * Both count the gap.
 */
export type GapPolicy = 'resync' | 'continue';

/**
 * Turns a REST snapshot and `depthUpdate` diffs into book rows following Binance's book-sync rules
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly
 * and the spot equivalent):
 * - diffs received before the snapshot are buffered; those the snapshot already contains are dropped
 *   (USDⓈ-M: u < lastUpdateId; spot: u <= lastUpdateId);
 * - the first diff applied must straddle the snapshot (USDⓈ-M: U <= L <= u; spot: U <= L+1 <= u);
 * - each later diff continues the previous one (USDⓈ-M: pu = previous u; spot: U = previous u + 1).
 * The snapshot is stamped no later than the first diff applied on it (a REST snapshot carries the
 * time it was built, which can follow that diff); diffs buffered while the snapshot was on its way are
 * stamped with the snapshot's receive time, since a live system could apply them only then.
 */
export class DepthSync {
  private synced = false;
  private lastU = Number.NaN;
  private buffer: DepthDiff[] = [];
  private pending: DepthSnapshot | undefined = undefined;
  private lastTs = -Infinity;
  private lastRecv = -Infinity;

  constructor(
    private readonly book: MarketEventColumns,
    private readonly report: ReplayReport,
    private readonly onGap: GapPolicy = 'resync',
  ) {}

  snapshot(s: DepthSnapshot): void {
    if (this.synced) {
      this.report.skip('snapshot_while_synced', s.where, `lastUpdateId ${s.lastUpdateId} not needed`);
      return;
    }
    if (this.pending)
      this.report.skip('snapshot_superseded', this.pending.where, 'a later snapshot replaced it');
    this.pending = s;
    this.trySync();
  }

  diff(d: DepthDiff): void {
    if (!this.synced) {
      this.buffer.push(d);
      if (this.pending) this.trySync();
      return;
    }
    const spot = Number.isNaN(d.pu);
    const continues = spot ? d.U === this.lastU + 1 : d.pu === this.lastU;
    if (!continues) {
      this.report.gap(
        d.where,
        spot
          ? `U ${d.U} does not follow the previous u ${this.lastU}`
          : `pu ${d.pu} is not the previous u ${this.lastU}`,
      );
      if (this.onGap === 'resync') {
        this.synced = false;
        this.buffer = [d];
        return;
      }
    }
    this.emit(d);
  }

  /** Ends the input: reports what could not be applied. */
  finish(): void {
    if (this.pending && this.buffer.length === 0) this.emitSnapshot(this.pending, this.pending.ts);
    else if (this.buffer.length)
      this.report.skip(
        'no_snapshot',
        this.buffer[0]!.where,
        'depth updates with no snapshot to apply them to',
        this.buffer.length,
      );
    this.buffer = [];
    this.pending = undefined;
  }

  private trySync(): void {
    const s = this.pending!;
    const L = s.lastUpdateId;
    let k = 0;
    // Drop what the snapshot already contains.
    while (k < this.buffer.length) {
      const d = this.buffer[k]!;
      const spot = Number.isNaN(d.pu);
      if (spot ? d.u > L : d.u >= L) break;
      k++;
    }
    if (k > 0)
      this.report.skip(
        'before_snapshot',
        this.buffer[0]!.where,
        `update ids up to ${this.buffer[k - 1]!.u} are in the snapshot (lastUpdateId ${L})`,
        k,
      );
    const rest = this.buffer.slice(k);
    this.buffer = rest;
    if (rest.length === 0) return; // wait for the next diff
    const first = rest[0]!;
    const spot = Number.isNaN(first.pu);
    if (first.U > (spot ? L + 1 : L)) {
      this.report.gap(first.where, `first update U ${first.U} is after the snapshot's lastUpdateId ${L}`);
      if (this.onGap === 'resync') {
        this.report.skip('stale_snapshot', s.where, `lastUpdateId ${L} is older than the buffered updates`);
        this.pending = undefined;
        return;
      }
    }
    this.pending = undefined;
    this.buffer = [];
    this.emitSnapshot(s, Number.isNaN(s.ts) ? first.ts : Math.min(s.ts, first.ts));
    this.synced = true;
    this.lastU = L;
    for (const d of rest) {
      if (d.tsRecv < s.tsRecv) d.tsRecv = s.tsRecv;
      if (d === first) this.emit(d);
      else this.diff(d);
    }
  }

  private emitSnapshot(s: DepthSnapshot, ts: number): void {
    const t = Number.isNaN(ts) ? s.tsRecv : ts;
    const [at, recv] = this.stamp(t, s.tsRecv);
    const b = this.book;
    b.addClear(at, recv, s.lastUpdateId);
    const nb = s.bidPrices.length;
    const na = s.askPrices.length;
    for (let i = 0; i < nb; i++)
      b.addDelta(
        at,
        recv,
        s.lastUpdateId,
        BID,
        s.bidPrices[i]!,
        s.bidSizes[i]!,
        F_SNAPSHOT | (na === 0 && i === nb - 1 ? F_LAST : 0),
      );
    for (let i = 0; i < na; i++)
      b.addDelta(
        at,
        recv,
        s.lastUpdateId,
        ASK,
        s.askPrices[i]!,
        s.askSizes[i]!,
        F_SNAPSHOT | (i === na - 1 ? F_LAST : 0),
      );
    this.report.count('snapshot');
    this.report.count('delta', nb + na);
  }

  private emit(d: DepthDiff): void {
    this.lastU = d.u;
    this.report.count('update');
    const n = d.prices.length;
    if (n === 0) return;
    const [at, recv] = this.stamp(d.ts, d.tsRecv);
    const b = this.book;
    for (let i = 0; i < n; i++)
      b.addDelta(
        at,
        recv,
        d.u,
        d.sides[i]! > 0 ? BID : ASK,
        d.prices[i]!,
        d.sizes[i]!,
        i === n - 1 ? F_LAST : 0,
      );
    this.report.count('delta', n);
  }

  /** Keeps the stream in time order on both clocks (the synchronizer refuses a stream that is not). */
  private stamp(ts: number, recv: number): [number, number] {
    if (ts < this.lastTs || recv < this.lastRecv) this.report.clamped++;
    if (ts < this.lastTs) ts = this.lastTs;
    if (recv < this.lastRecv) recv = this.lastRecv;
    this.lastTs = ts;
    this.lastRecv = recv;
    return [ts, recv];
  }
}
