/**
 * What a live collector writes: venue book messages (with their update ids), trades and funding, each
 * with the venue's time and our receive time in integer µs. A sink takes them in batches.
 */
export type Level = readonly [price: number, size: number];

export interface CollectedBookUpdate {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv: number;
  /** The venue's last update id in the message (Binance `u`; `lastUpdateId` for a snapshot). */
  readonly sequence: number;
  /** True for a full snapshot (replaces the book), false for a diff (size 0 removes a level). */
  readonly snapshot: boolean;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  /** Top of book after the message. */
  readonly mid: number;
  readonly spread: number;
}

export interface CollectedTrade {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv: number;
  readonly tradeId: number;
  readonly price: number;
  readonly size: number;
  readonly aggressor: 1 | -1;
}

export interface CollectedFunding {
  readonly instrumentId: string;
  readonly ts: number;
  readonly tsRecv: number;
  readonly rate: number;
  readonly fundingTs: number;
  readonly markPrice: number;
}

export interface CollectedBatch {
  readonly book: readonly CollectedBookUpdate[];
  readonly trades: readonly CollectedTrade[];
  readonly funding: readonly CollectedFunding[];
}

/** Where collected data goes (files, the store, a JetStream bridge). */
export interface CollectorSink {
  write(batch: CollectedBatch): Promise<void>;
  close(): Promise<void>;
}
