import {
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { NodeRecord, StateStore } from '../../engine/trading-node-ports.js';

/**
 * An append-only JSON-lines journal. Every record is written to the file (the OS page cache) before
 * append() returns, so it survives the death of the process (SIGKILL, crash). Orders, fills and strategy
 * changes are then fsync'd by group commit: one fsync on libuv's thread pool covers every record written
 * since the last one began, so the event loop never waits for the disk (a synchronous fsync per order
 * stalled the API for tens of ms, bench/api.bench.ts). A power loss can lose the records of the last
 * fsync interval (typically a few ms); `flush()` and `close()` wait for the disk.
 * The default store; `tickerml run --state store` uses StoreStateStore (src/storage) instead (docs/API.md).
 * A line torn by a crash mid-write (only ever the last one) is skipped on load and counted.
 */
export class JournalStateStore implements StateStore {
  readonly path: string;
  readonly description: string;
  private fd: number | undefined;
  private readonly fsync: boolean;
  /** Torn lines skipped by the last load(). */
  tornLines = 0;
  /** fsyncs completed (group commits). */
  syncs = 0;
  private syncing: Promise<void> | undefined = undefined;
  private dirty = false;
  private written = 0;
  private synced = 0;

  constructor(path: string, opts: { fsync?: boolean } = {}) {
    this.path = path;
    this.fsync = opts.fsync ?? true;
    this.description = `journal ${path} (append-only, fsync ${this.fsync ? 'group commit after order/fill records' : 'on flush only'})`;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
  }

  append(record: NodeRecord): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(record) + '\n');
    this.written++;
    // Orders, fills and strategy changes are fsync'd by group commit. Per-bar snapshots are only written
    // (they reach the disk with the next fsync): they are re-derivable.
    if (this.fsync && record.type !== 'snapshot') this.scheduleSync();
  }

  /** Starts an fsync on the thread pool unless one is running; one running marks a follow-up. */
  private scheduleSync(): void {
    if (this.syncing) {
      this.dirty = true; // the fsync in flight may have begun before this write: run one more after it
      return;
    }
    const fd = this.fd!;
    const upTo = this.written;
    this.syncing = new Promise<void>((resolve, reject) => {
      fsync(fd, (err) => {
        this.syncing = undefined;
        if (err) {
          reject(new Error(`journal ${this.path}: fsync failed: ${err.message}`));
          return;
        }
        this.syncs++;
        if (upTo > this.synced) this.synced = upTo;
        resolve();
        if (this.dirty && this.fd === fd) {
          this.dirty = false;
          this.scheduleSync();
        }
      });
    });
    // A failed background fsync is reported by the next flush() or close(), which await it.
    this.syncing.catch(() => undefined);
  }

  /** Resolves once every record appended before the call is on disk (without blocking the event loop). */
  async flush(): Promise<void> {
    const target = this.written;
    while (this.synced < target && this.fd !== undefined) {
      if (!this.syncing) this.scheduleSync();
      await this.syncing;
    }
  }

  /** Every record is in the file (the OS page cache) on return from append(): nothing to wait for. */
  async persisted(): Promise<void> {}

  async load(): Promise<NodeRecord[]> {
    if (!existsSync(this.path)) return [];
    const text = readFileSync(this.path, 'utf8');
    const out: NodeRecord[] = [];
    this.tornLines = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as NodeRecord);
      } catch {
        this.tornLines++;
      }
    }
    if (this.tornLines > 0 && !text.endsWith('\n') && this.fd !== undefined) writeSync(this.fd, '\n');
    return out;
  }

  async close(): Promise<void> {
    if (this.fd === undefined) return;
    await this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
