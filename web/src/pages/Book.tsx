import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { fmtNum } from '../format';
import { useResource } from '../hooks';
import { InstrumentPicker, useInstruments } from './InstrumentPicker';

interface Level {
  price: number;
  quantity: number;
}
interface BookView {
  instrumentId: string;
  source: string;
  bids: Level[];
  asks: Level[];
}

export function Book(_: PageProps) {
  const instruments = useInstruments();
  const [id, setId] = useState('');
  useEffect(() => {
    if (!id && instruments[0]) setId(instruments[0].id);
  }, [id, instruments]);
  const book = useResource<BookView>(id ? `/market/book?instrumentId=${encodeURIComponent(id)}&limit=20` : null, {
    pollMs: 1000,
  });
  const b = book.data;
  const empty = b && b.bids.length === 0 && b.asks.length === 0;
  const cum = (ls: Level[]) => {
    let s = 0;
    return ls.map((l) => ({ ...l, total: (s += l.quantity) }));
  };
  const bids = cum(b?.bids ?? []);
  const asks = cum(b?.asks ?? []);
  const max = Math.max(1e-12, bids.at(-1)?.total ?? 0, asks.at(-1)?.total ?? 0);
  return (
    <section>
      <div className="row">
        <h2>Order book</h2>
        <InstrumentPicker value={id} onChange={setId} instruments={instruments} />
      </div>
      {book.error && <p className="error">{book.error}</p>}
      {empty && (
        <div className="notice" data-testid="no-book">
          No book for this feed <span className="muted">({b.source})</span>
        </div>
      )}
      {b && !empty && (
        <div className="depth">
          {[
            ['Bids', bids, 'bid'],
            ['Asks', asks, 'ask'],
          ].map(([title, levels, cls]) => (
            <table key={title as string}>
              <thead>
                <tr>
                  <th>{title as string}</th>
                  <th>Size</th>
                  <th>Total</th>
                </tr>
              </thead>
              <tbody>
                {(levels as typeof bids).map((l) => (
                  <tr key={l.price} className={cls as string} style={{ ['--w' as string]: `${(l.total / max) * 100}%` }}>
                    <td>{fmtNum(l.price, 8)}</td>
                    <td>{fmtNum(l.quantity)}</td>
                    <td>{fmtNum(l.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      )}
    </section>
  );
}
