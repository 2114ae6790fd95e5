import cliProgress from 'cli-progress';
import type { BarWindow, Metrics, Params, TrialRunner } from '../research/index.js';

/** A progress bar with ETA on stderr; silent when stderr is not a terminal or with --quiet. */
export interface Progress {
  /** Raises the expected total (a genetic search's size is only an upper bound). */
  grow(total: number): void;
  tick(n: number, label?: string): void;
  stop(): void;
}

const SILENT: Progress = { grow: () => {}, tick: () => {}, stop: () => {} };

export function startProgress(
  title: string,
  total: number,
  quiet: boolean | undefined,
  unit = 'backtests',
): Progress {
  if (quiet || !process.stderr.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted} | {label}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  let max = Math.max(1, total);
  bar.start(max, 0, { label: '' });
  return {
    grow(t) {
      if (t > max) bar.setTotal((max = t));
    },
    tick(n, label) {
      value += n;
      if (value > max) bar.setTotal((max = value));
      bar.update(value, label !== undefined ? { label } : {});
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * A runner that hands the candidates to `inner` in chunks and ticks the bar after each, yielding to the
 * event loop between chunks so the bar redraws while an in-thread runner works. Chunks keep a pool busy
 * (several jobs per worker); the order of results is unchanged, so the search result is too.
 */
export function withProgress(inner: TrialRunner, progress: Progress, label: () => string): TrialRunner {
  const chunk = inner.concurrency === 1 ? 1 : inner.concurrency * 4;
  return {
    concurrency: inner.concurrency,
    async evaluate(cands: readonly Params[], window?: BarWindow): Promise<Metrics[]> {
      const out: Metrics[] = [];
      for (let i = 0; i < cands.length; i += chunk) {
        const part = cands.slice(i, i + chunk);
        out.push(...(await inner.evaluate(part, window)));
        progress.tick(part.length, label());
        await new Promise<void>((r) => setImmediate(r));
      }
      return out;
    },
    close: () => inner.close(),
  };
}
