import type { Logger } from '../core/index.js';

export interface LogLine {
  readonly ts: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly data?: Record<string, unknown>;
}

const SECRET = /key|secret|password|token|authorization/i;

/** Drops values of keys that look like credentials (exchange keys are never logged or served). */
export function redact<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = SECRET.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out as T;
}

/** The node's logger for the API: keeps the last `size` lines (redacted) and forwards to another logger. */
export class LogBuffer implements Logger {
  private readonly lines: LogLine[] = [];
  constructor(
    private readonly forward?: Logger,
    private readonly size = 2000,
  ) {}
  private add(level: LogLine['level'], msg: string, data?: Record<string, unknown>): void {
    const safe = data ? redact(data) : undefined;
    this.lines.push({ ts: new Date().toISOString(), level, msg, ...(safe ? { data: safe } : {}) });
    if (this.lines.length > this.size) this.lines.splice(0, this.lines.length - this.size);
    this.forward?.[level](msg, safe);
  }
  debug(msg: string, data?: Record<string, unknown>): void {
    this.add('debug', msg, data);
  }
  info(msg: string, data?: Record<string, unknown>): void {
    this.add('info', msg, data);
  }
  warn(msg: string, data?: Record<string, unknown>): void {
    this.add('warn', msg, data);
  }
  error(msg: string, data?: Record<string, unknown>): void {
    this.add('error', msg, data);
  }
  recent(opts: { level?: LogLine['level']; limit?: number } = {}): LogLine[] {
    const order = ['debug', 'info', 'warn', 'error'];
    const min = order.indexOf(opts.level ?? 'debug');
    return this.lines.filter((l) => order.indexOf(l.level) >= min).slice(-(opts.limit ?? 200));
  }
}
