import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../engine/trading-node-ports.js';
import { JournalStateStore } from './journal-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function journalPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'tickerml-journal-'));
  dirs.push(d);
  return join(d, 'node.journal');
}
const strategy = (i: number): NodeRecord =>
  ({ type: 'strategy', strategy: { id: `s${i}`, status: 'running' } }) as unknown as NodeRecord;

describe('JournalStateStore', () => {
  it('has every record in the file on return from append, before any fsync completed', () => {
    const path = journalPath();
    const j = new JournalStateStore(path);
    for (let i = 0; i < 100; i++) j.append(strategy(i));
    // Synchronous read: no fsync callback can have run yet, yet every line is in the file (page cache).
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(JSON.parse(lines[99]!)).toEqual(strategy(99));
    expect(j.syncs).toBe(0);
    return j.close();
  });

  it('group-commits: 1,000 appends in one tick need far fewer fsyncs, and flush() covers them all', async () => {
    const path = journalPath();
    const j = new JournalStateStore(path);
    for (let i = 0; i < 1000; i++) j.append(strategy(i));
    await j.flush();
    expect(j.syncs).toBeGreaterThanOrEqual(1);
    expect(j.syncs).toBeLessThanOrEqual(2); // the first fsync, and one follow-up for writes after it began
    const before = j.syncs;
    await j.flush(); // nothing new: no fsync
    expect(j.syncs).toBe(before);
    j.append(strategy(1000));
    await j.flush();
    expect(j.syncs).toBe(before + 1);
    await j.close();
    expect(await new JournalStateStore(path).load()).toHaveLength(1001);
  });

  it('skips and counts a torn last line, and appends after it on a fresh line', async () => {
    const path = journalPath();
    const j = new JournalStateStore(path);
    j.append(strategy(1));
    await j.close();
    appendFileSync(path, '{"type":"strategy","strat'); // a write cut by SIGKILL
    const k = new JournalStateStore(path);
    expect(await k.load()).toEqual([strategy(1)]);
    expect(k.tornLines).toBe(1);
    k.append(strategy(2));
    await k.close();
    const m = new JournalStateStore(path);
    expect(await m.load()).toEqual([strategy(1), strategy(2)]);
    expect(m.tornLines).toBe(1);
    await m.close();
  });

  it('refuses appends after close, naming the file', async () => {
    const path = journalPath();
    const j = new JournalStateStore(path);
    await j.close();
    expect(() => j.append(strategy(1))).toThrow(path);
  });
});
