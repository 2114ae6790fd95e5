import {
  CandlestickSeries,
  ColorType,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
  createChart,
  createSeriesMarkers,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';

export interface LinePoint {
  time: number;
  value: number;
}
export interface CandlePoint {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface Marker {
  time: number;
  side: 'buy' | 'sell';
  text: string;
}

const theme = {
  layout: { background: { type: ColorType.Solid, color: '#111821' }, textColor: '#9fb0c3' },
  grid: { vertLines: { color: '#1c2632' }, horzLines: { color: '#1c2632' } },
  timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3644' },
  rightPriceScale: { borderColor: '#2a3644' },
  autoSize: true,
} as const;

/** lightweight-charts wants strictly increasing times: keep the last point of any repeated second. */
function increasing<P extends { time: number }>(points: readonly P[]): P[] {
  const out: P[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && p.time <= last.time) {
      if (p.time === last.time) out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}

function useChart(height: number, seconds = false): [React.RefObject<HTMLDivElement | null>, React.RefObject<IChartApi | null>] {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = createChart(box.current, {
      ...theme,
      height,
      timeScale: { ...theme.timeScale, secondsVisible: seconds },
    });
    chart.current = c;
    return () => {
      chart.current = null;
      c.remove();
    };
  }, [height, seconds]);
  return [box, chart];
}

export function LineChart({
  points,
  height = 220,
  label,
  seconds = false,
}: {
  points: readonly LinePoint[];
  height?: number;
  label: string;
  /** Label the time axis to the second (the live equity curve moves a few points a second). */
  seconds?: boolean;
}) {
  const [box, chart] = useChart(height, seconds);
  const series = useRef<ISeriesApi<'Line'>>(null);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    series.current ??= c.addSeries(LineSeries, { color: '#4da3ff', lineWidth: 2, priceLineVisible: false });
    series.current.setData(increasing(points).map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    c.timeScale().fitContent();
  }, [points, chart]);
  return <div className="chart" ref={box} style={{ height }} role="img" aria-label={label} />;
}

export function CandleChart({
  candles,
  markers,
  height = 380,
}: {
  candles: readonly CandlePoint[];
  markers: readonly Marker[];
  height?: number;
}) {
  const [box, chart] = useChart(height);
  const series = useRef<ISeriesApi<'Candlestick'>>(null);
  const marks = useRef<ISeriesMarkersPluginApi<Time>>(null);
  const first = useRef(true);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    if (!series.current) {
      series.current = c.addSeries(CandlestickSeries, {
        upColor: '#26a69a',
        downColor: '#ef5350',
        borderVisible: false,
        wickUpColor: '#26a69a',
        wickDownColor: '#ef5350',
      });
      marks.current = createSeriesMarkers(series.current, []);
    }
    series.current.setData(increasing(candles).map((k) => ({ ...k, time: k.time as UTCTimestamp })));
    const m: SeriesMarker<Time>[] = [...markers]
      .sort((a, b) => a.time - b.time)
      .map((x) => ({
        time: x.time as UTCTimestamp,
        position: x.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: x.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: x.side === 'buy' ? '#4da3ff' : '#ffb74d',
        text: x.text,
      }));
    marks.current?.setMarkers(m);
    if (first.current && candles.length) {
      c.timeScale().fitContent();
      first.current = false;
    }
  }, [candles, markers, chart]);
  return <div className="chart" ref={box} style={{ height }} role="img" aria-label="price chart" />;
}
