import type { Clock, TimerCallback } from '../../core/index.js';
import { type UnixMicros, invalid } from '../../model/index.js';

interface WallTimer {
  readonly name: string;
  readonly interval: number;
  next: number;
  handle: ReturnType<typeof setTimeout> | undefined;
  readonly callback: TimerCallback;
}

/**
 * The clock of paper and live trading: real time and real timers. `now()` is µs since the epoch from
 * `performance.timeOrigin + performance.now()` (sub-millisecond and monotonic within the process).
 * Interval timers are scheduled against `startAt + k × interval`, not "last fire + interval", so they do
 * not drift; a timer that fell behind (a blocked event loop) fires once per missed due time, in order.
 */
export class WallClock implements Clock {
  private readonly timers = new Map<string, WallTimer>();
  private last = 0;

  now(): UnixMicros {
    // Integer µs, never going backwards even if the platform clock is adjusted mid-run.
    const t = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.last = t > this.last ? t : this.last;
    return this.last;
  }

  setTimer(name: string, opts: { startAt?: UnixMicros; intervalUs?: number; callback: TimerCallback }): void {
    const interval = opts.intervalUs ?? 0;
    if (!(interval >= 0) || !Number.isFinite(interval))
      throw invalid('timer.intervalUs', interval, 'must be >= 0');
    this.cancelTimer(name);
    const now = this.now();
    const start = opts.startAt ?? now + interval;
    if (start < now - 1000) throw invalid('timer.startAt', start, `must not be in the past (now ${now})`);
    const timer: WallTimer = { name, interval, next: start, handle: undefined, callback: opts.callback };
    this.timers.set(name, timer);
    this.arm(timer);
  }

  cancelTimer(name: string): void {
    const t = this.timers.get(name);
    if (!t) return;
    if (t.handle !== undefined) clearTimeout(t.handle);
    this.timers.delete(name);
  }

  timerNames(): string[] {
    return [...this.timers.keys()];
  }

  /** Cancels every timer (shutdown). */
  close(): void {
    for (const name of [...this.timers.keys()]) this.cancelTimer(name);
  }

  private arm(timer: WallTimer): void {
    const delayMs = Math.max(0, Math.ceil((timer.next - this.now()) / 1000));
    timer.handle = setTimeout(() => this.fire(timer), delayMs);
    // A pending strategy timer must not keep a stopping process alive.
    timer.handle.unref?.();
  }

  private fire(timer: WallTimer): void {
    if (this.timers.get(timer.name) !== timer) return;
    // libuv's timers run on a millisecond loop clock and may fire up to ~1 ms early: never call back early.
    if (this.now() < timer.next) return this.arm(timer);
    const scheduledAt = timer.next;
    if (timer.interval > 0) {
      timer.next += timer.interval;
      this.arm(timer);
    } else this.timers.delete(timer.name);
    timer.callback({ name: timer.name, ts: this.now(), scheduledAt });
  }
}
