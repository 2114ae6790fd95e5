import { useCallback, useEffect, useRef, useState } from 'react';
import { api, onStream, type StreamEvent } from './api';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/**
 * GETs `path` (null: nothing), and again whenever an event of one of `streams` arrives (at most once per
 * `throttleMs`: a replay emits several bars a second) or every `pollMs`.
 */
export function useResource<T>(
  path: string | null,
  opts: { streams?: StreamEvent['stream'][]; throttleMs?: number; pollMs?: number } = {},
): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  const reload = useCallback(() => {
    if (path === null) return;
    const n = ++seq.current;
    api<T>(path).then(
      (d) => {
        if (n !== seq.current) return;
        setData(d);
        setError(undefined);
      },
      (e: Error) => n === seq.current && setError(e.message),
    );
  }, [path]);

  useEffect(() => {
    setData(undefined);
    reload();
  }, [reload]);

  const streams = (opts.streams ?? []).join(',');
  const throttleMs = opts.throttleMs ?? 1000;
  useEffect(() => {
    if (!streams) return;
    const wanted = streams.split(',');
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onStream((ev) => {
      if (!wanted.includes(ev.stream) || timer) return;
      const wait = Math.max(0, last + throttleMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        reload();
      }, wait);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [streams, throttleMs, reload]);

  useEffect(() => {
    if (!opts.pollMs) return;
    const t = setInterval(reload, opts.pollMs);
    return () => clearInterval(t);
  }, [opts.pollMs, reload]);

  return { data, error, reload };
}

/** Runs an action, keeping its error to show beside the button that started it. */
export function useAction(): {
  busy: boolean;
  error: string | undefined;
  run: (f: () => Promise<unknown>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
