import { useEffect, useMemo, useState } from 'react';
import type { PageProps } from '../App';
import { type Candle, type Fill, onStream } from '../api';
import { CandleChart, type Marker } from '../charts';
import { fmtNum } from '../format';
import { useResource } from '../hooks';
import { InstrumentPicker, useInstruments } from './InstrumentPicker';

/**
 * Candles are placed at their own time in the data (sourceTs: in a replay, historical); our fills carry the
 * node's clock, so each fill is drawn on the bar the node was processing when it filled.
 */
export function Chart(_: PageProps) {
  const instruments = useInstruments();
  const [id, setId] = useState('');
  useEffect(() => {
    if (!id && instruments[0]) setId(instruments[0].id);
  }, [id, instruments]);
  const initial = useResource<{ candles: Candle[]; replay: boolean }>(
    id ? `/market/candles?instrumentId=${encodeURIComponent(id)}&limit=500` : null,
  );
  const fills = useResource<Fill[]>('/fills?limit=2000', { streams: ['fills'] });
  const [candles, setCandles] = useState<Candle[]>([]);
  useEffect(() => setCandles(initial.data?.candles ?? []), [initial.data]);
  useEffect(
    () =>
      onStream((ev) => {
        if (ev.stream !== 'market' || ev.instrumentId !== id) return;
        setCandles((cs) => [...cs.slice(-999), ev.candle]);
      }),
    [id],
  );

  // A looping replay starts the data again: show only the candles since the last wrap.
  const run = useMemo(() => {
    let start = 0;
    for (let i = 1; i < candles.length; i++) if (candles[i]!.sourceTs <= candles[i - 1]!.sourceTs) start = i;
    return candles.slice(start);
  }, [candles]);

  const markers = useMemo((): Marker[] => {
    if (!run.length) return [];
    const out: Marker[] = [];
    for (const f of fills.data ?? []) {
      if (f.instrumentId !== id || f.ts < run[0]!.ts) continue;
      let lo = 0;
      let hi = run.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (run[mid]!.ts <= f.ts) lo = mid;
        else hi = mid - 1;
      }
      out.push({ time: run[lo]!.sourceTs / 1e6, side: f.side, text: `${f.side} ${fmtNum(f.quantity)} @ ${fmtNum(f.price)}` });
    }
    return out;
  }, [fills.data, run, id]);

  const last = run[run.length - 1];
  return (
    <section>
      <div className="row">
        <h2>Price</h2>
        <InstrumentPicker value={id} onChange={setId} instruments={instruments} />
        {last && <span className="big">{fmtNum(last.close)}</span>}
        <span className="muted small">
          {initial.data?.replay ? 'replay: bars at their historical time' : ''} · {markers.length} of our fills
        </span>
      </div>
      {initial.error && <p className="error">{initial.error}</p>}
      <CandleChart
        candles={run.map((c) => ({ time: c.sourceTs / 1e6, open: c.open, high: c.high, low: c.low, close: c.close }))}
        markers={markers}
      />
    </section>
  );
}
