/** The logging port. The kernel logs through this; pino (or a capture for tests) sits behind it at the edge. */
export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  data: Record<string, unknown> | undefined;
  ts: number;
}

/** Keeps records in memory (backtests, tests); `now` stamps them with kernel time. */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];
  constructor(
    private readonly now: () => number = () => 0,
    private readonly limit = 100_000,
  ) {}
  private add(level: LogRecord['level'], msg: string, data?: Record<string, unknown>): void {
    if (this.records.length < this.limit) this.records.push({ level, msg, data, ts: this.now() });
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
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
