import type { Instrument } from '../api';
import { useResource } from '../hooks';

/** The node's instruments as a select; calls back with the first one once they load. */
export function useInstruments(): Instrument[] {
  return useResource<Instrument[]>('/market/instruments').data ?? [];
}

export function InstrumentPicker(props: { value: string; onChange: (id: string) => void; instruments: Instrument[] }) {
  return (
    <select aria-label="instrument" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.instruments.map((i) => (
        <option key={i.id} value={i.id}>
          {i.id}
        </option>
      ))}
    </select>
  );
}
