import type { TimerEvent, UnixMicros } from '../model/index.js';
import { invalid } from '../model/index.js';

export type TimerCallback = (ev: TimerEvent) => void;

/** Time as the kernel sees it. Backtests use SimulatedClock; paper and live use a wall clock adapter. */
export interface Clock {
  /** Now, in µs since the epoch. */
  now(): UnixMicros;
  /** Calls `callback` at `startAt + k * intervalUs` (k = 0, 1, …) or once at `startAt` when no interval. */
  setTimer(name: string, opts: { startAt?: UnixMicros; intervalUs?: number; callback: TimerCallback }): void;
  cancelTimer(name: string): void;
  timerNames(): string[];
}

interface Timer {
  name: string;
  next: number;
  interval: number;
  seq: number;
  callback: TimerCallback;
}

/**
 * A clock that moves only when told to. `advanceTo(t)` fires every timer due at or before `t` in time
 * order (ties in creation order), with `now()` equal to each timer's due time while it runs.
 */
export class SimulatedClock implements Clock {
  private t: UnixMicros;
  private readonly timers = new Map<string, Timer>();
  private heap: Timer[] = [];
  private seq = 0;

  constructor(start: UnixMicros = 0) {
    this.t = start;
  }

  now(): UnixMicros {
    return this.t;
  }

  /** Sets the time without firing timers (only forward). */
  set(t: UnixMicros): void {
    if (t > this.t) this.t = t;
  }

  setTimer(name: string, opts: { startAt?: UnixMicros; intervalUs?: number; callback: TimerCallback }): void {
    const interval = opts.intervalUs ?? 0;
    if (interval < 0 || !Number.isFinite(interval))
      throw invalid('timer.intervalUs', interval, 'must be >= 0');
    this.cancelTimer(name);
    const start = opts.startAt ?? this.t + interval;
    if (start < this.t) throw invalid('timer.startAt', start, `must not be in the past (now ${this.t})`);
    const timer: Timer = { name, next: start, interval, seq: this.seq++, callback: opts.callback };
    this.timers.set(name, timer);
    this.push(timer);
  }

  cancelTimer(name: string): void {
    const t = this.timers.get(name);
    if (!t) return;
    this.timers.delete(name);
    this.heap = this.heap.filter((x) => x !== t);
    this.heapify();
  }

  timerNames(): string[] {
    return [...this.timers.keys()];
  }

  /** The due time of the next timer, or Infinity. */
  nextTimerAt(): number {
    return this.heap.length ? this.heap[0]!.next : Infinity;
  }

  advanceTo(t: UnixMicros): void {
    while (this.heap.length && this.heap[0]!.next <= t) {
      const timer = this.pop()!;
      this.t = Math.max(this.t, timer.next);
      const ev: TimerEvent = { name: timer.name, ts: this.t, scheduledAt: timer.next };
      if (timer.interval > 0) {
        timer.next += timer.interval;
        timer.seq = this.seq++;
        this.push(timer);
      } else this.timers.delete(timer.name);
      timer.callback(ev);
    }
    if (t > this.t) this.t = t;
  }

  private less(a: Timer, b: Timer): boolean {
    return a.next < b.next || (a.next === b.next && a.seq < b.seq);
  }
  private push(x: Timer): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      this.sift(0);
    }
    return top;
  }
  private sift(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.sift(i);
  }
}
