/**
 * A token bucket per venue: `capacity` requests at once, refilled at `ratePerSec`. `take()` resolves
 * when a token is available, so a burst of calls is spread out instead of tripping the venue's limit
 * (Binance answers 429 then bans the IP with 418 when limits are ignored).
 */
export interface Sleeper {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: Sleeper = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity: number,
    readonly ratePerSec: number,
    private readonly time: Sleeper = realTime,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1 (got ${capacity})`);
    if (!(ratePerSec > 0)) throw new RangeError(`ratePerSec must be > 0 (got ${ratePerSec})`);
    this.tokens = capacity;
    this.last = time.now();
  }

  /** Waits for one token; callers are served in call order. */
  take(): Promise<void> {
    const next = this.queue.then(() => this.takeOne());
    this.queue = next;
    return next;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      const now = this.time.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.time.sleep(((1 - this.tokens) / this.ratePerSec) * 1000);
    }
  }
}

/** One bucket per venue name, created on first use. */
export class VenueRateLimits {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly limits: Readonly<Record<string, { capacity: number; ratePerSec: number }>>,
    private readonly fallback = { capacity: 5, ratePerSec: 5 },
    private readonly time: Sleeper = realTime,
  ) {}

  bucket(venue: string): TokenBucket {
    let b = this.buckets.get(venue);
    if (!b) {
      const l = this.limits[venue] ?? this.fallback;
      b = new TokenBucket(l.capacity, l.ratePerSec, this.time);
      this.buckets.set(venue, b);
    }
    return b;
  }
}
