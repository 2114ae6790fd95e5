/**
 * What a replay loader did with its input: events per kind, and every line it could not use, by kind,
 * with the count and the first occurrence (file:line and why). Nothing is dropped without a count here.
 */
export interface ReplayProblem {
  count: number;
  /** The first occurrence: `file:line: message`. */
  first: string;
}

export class ReplayReport {
  lines = 0;
  /** Events written, by kind (`delta`, `trade`, `quote`, `snapshot`, `funding`, `mark`). */
  readonly events: Record<string, number> = {};
  /** Lines that failed to parse or validate, by message kind (`json`, `depthUpdate`, `trade`, …). */
  readonly malformed = new Map<string, ReplayProblem>();
  /** Well-formed input deliberately not replayed, by reason (`before_snapshot`, `unknown:<e>`, …). */
  readonly skipped = new Map<string, ReplayProblem>();
  /** Sequence gaps in the book stream (a missing update). */
  gaps = 0;
  firstGap: string | undefined = undefined;
  /** Events whose timestamp went back in time and was raised to the previous one (streams must be ordered). */
  clamped = 0;

  count(kind: string, n = 1): void {
    this.events[kind] = (this.events[kind] ?? 0) + n;
  }

  bad(kind: string, where: string, message: string): void {
    add(this.malformed, kind, where, message);
  }

  skip(reason: string, where: string, message: string, n = 1): void {
    add(this.skipped, reason, where, message, n);
  }

  gap(where: string, message: string): void {
    this.gaps++;
    this.firstGap ??= `${where}: ${message}`;
  }

  get malformedCount(): number {
    let n = 0;
    for (const p of this.malformed.values()) n += p.count;
    return n;
  }

  /** Merges another file's report into this one. */
  absorb(o: ReplayReport): this {
    this.lines += o.lines;
    for (const [k, v] of Object.entries(o.events)) this.count(k, v);
    for (const [k, v] of o.malformed) add(this.malformed, k, '', v.first, v.count, true);
    for (const [k, v] of o.skipped) add(this.skipped, k, '', v.first, v.count, true);
    this.gaps += o.gaps;
    this.firstGap ??= o.firstGap;
    this.clamped += o.clamped;
    return this;
  }

  /** Human-readable lines, one per kind. */
  summary(): string[] {
    const out = [
      `${this.lines} lines: ${Object.entries(this.events)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    ];
    for (const [k, p] of this.malformed) out.push(`malformed ${k}: ${p.count} (first: ${p.first})`);
    for (const [k, p] of this.skipped) out.push(`skipped ${k}: ${p.count} (first: ${p.first})`);
    if (this.gaps) out.push(`sequence gaps: ${this.gaps} (first: ${this.firstGap})`);
    if (this.clamped) out.push(`timestamps raised to keep the stream in order: ${this.clamped}`);
    return out;
  }

  toJSON(): object {
    return {
      lines: this.lines,
      events: this.events,
      malformed: Object.fromEntries(this.malformed),
      skipped: Object.fromEntries(this.skipped),
      gaps: this.gaps,
      firstGap: this.firstGap ?? null,
      clamped: this.clamped,
    };
  }
}

function add(
  m: Map<string, ReplayProblem>,
  kind: string,
  where: string,
  message: string,
  n = 1,
  raw = false,
): void {
  const p = m.get(kind);
  if (p) p.count += n;
  else m.set(kind, { count: n, first: raw ? message : `${where}: ${message}` });
}
