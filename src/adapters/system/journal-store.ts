import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NodeRecord, StateStore } from '../../engine/trading-node-ports.js';

/**
 * An append-only JSON-lines journal: orders, fills and strategy changes are fsync'd on return from append().
 * Interim persistence until the node writes to src/storage (PGlite/PostgreSQL); docs/API.md says so.
 * A line torn by a crash mid-write (only ever the last one) is skipped on load and counted.
 */
export class JournalStateStore implements StateStore {
  readonly path: string;
  readonly description: string;
  private fd: number | undefined;
  private readonly fsync: boolean;
  /** Torn lines skipped by the last load(). */
  tornLines = 0;

  constructor(path: string, opts: { fsync?: boolean } = {}) {
    this.path = path;
    this.fsync = opts.fsync ?? true;
    this.description = `journal ${path} (append-only, fsync ${this.fsync ? 'per order/fill record' : 'off'}; interim until src/storage)`;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
  }

  append(record: NodeRecord): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(record) + '\n');
    // Orders, fills and strategy changes are fsync'd as they are written. Per-bar snapshots are only
    // written (they reach the disk with the next fsync): an fsync per bar blocked the event loop for
    // seconds per second with four instruments (bench/api.bench.ts), and a snapshot is re-derivable.
    if (this.fsync && record.type !== 'snapshot') fsyncSync(this.fd);
  }

  async flush(): Promise<void> {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

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
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
