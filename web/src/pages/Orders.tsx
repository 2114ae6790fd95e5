import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { type Order, api, can } from '../api';
import { fmtNum, fmtTime } from '../format';
import { useAction, useResource } from '../hooks';
import { InstrumentPicker, useInstruments } from './InstrumentPicker';

export function Orders({ session }: PageProps) {
  const [status, setStatus] = useState<'open' | 'closed' | ''>('open');
  const r = useResource<Order[]>(`/orders?limit=200${status ? `&status=${status}` : ''}`, { streams: ['orders'] });
  const act = useAction();
  const trader = can(session.role, 'trader');
  return (
    <section>
      <h2>Orders</h2>
      {trader && <OrderForm onPlaced={r.reload} />}
      <div className="row">
        <select aria-label="status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="open">open</option>
          <option value="closed">closed</option>
          <option value="">all</option>
        </select>
        {trader && (
          <button
            className="danger"
            disabled={act.busy}
            onClick={() => void act.run(() => api('/orders', { method: 'DELETE' }).then(r.reload))}
          >
            Cancel all
          </button>
        )}
        {act.error && <span className="error">{act.error}</span>}
      </div>
      {r.error && <p className="error">{r.error}</p>}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Id</th>
              <th>Strategy</th>
              <th>Instrument</th>
              <th>Side</th>
              <th>Type</th>
              <th className="num">Qty</th>
              <th className="num">Price</th>
              <th className="num">Filled</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...(r.data ?? [])].reverse().map((o) => (
              <tr key={o.id} data-order-id={o.id}>
                <td>{fmtTime(o.createdAt)}</td>
                <td className="small">{o.id}</td>
                <td>{o.strategyId}</td>
                <td>{o.instrumentId}</td>
                <td className={o.side}>{o.side}</td>
                <td>{o.type}</td>
                <td className="num">{fmtNum(o.quantity)}</td>
                <td className="num">{fmtNum(o.price ?? o.triggerPrice)}</td>
                <td className="num">{fmtNum(o.filledQuantity)}</td>
                <td title={o.reason ?? ''}>
                  {o.status}
                  {o.reason && <div className="muted small">{o.reason}</div>}
                </td>
                <td>
                  {trader && isOpen(o) && (
                    <button
                      disabled={act.busy}
                      onClick={() =>
                        void act.run(() => api(`/orders/${encodeURIComponent(o.id)}`, { method: 'DELETE' }).then(r.reload))
                      }
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.data?.length === 0 && <p className="muted">No {status} orders.</p>}
    </section>
  );
}

/** Terminal states as the node defines them (src/model/order.ts). */
const isOpen = (o: Order) => !['denied', 'rejected', 'filled', 'canceled', 'expired', 'pending-cancel'].includes(o.status);

function OrderForm({ onPlaced }: { onPlaced: () => void }) {
  const instruments = useInstruments();
  const [instrumentId, setInstrument] = useState('');
  const [side, setSide] = useState<'buy' | 'sell'>('buy');
  const [type, setType] = useState<'market' | 'limit'>('limit');
  const [quantity, setQuantity] = useState('1');
  const [price, setPrice] = useState('');
  const [result, setResult] = useState<string>();
  const act = useAction();
  useEffect(() => {
    if (!instrumentId && instruments[0]) setInstrument(instruments[0].id);
  }, [instrumentId, instruments]);
  const inst = instruments.find((i) => i.id === instrumentId);
  return (
    <form
      className="row form"
      aria-label="new order"
      onSubmit={(e) => {
        e.preventDefault();
        setResult(undefined);
        void act.run(async () => {
          const o = await api<Order>('/orders', {
            method: 'POST',
            body: {
              instrumentId,
              side,
              type,
              quantity: Number(quantity),
              ...(type === 'limit' ? { price: Number(price) } : {}),
            },
          });
          setResult(`${o.id}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`);
          onPlaced();
        });
      }}
    >
      <InstrumentPicker value={instrumentId} onChange={setInstrument} instruments={instruments} />
      <select aria-label="side" value={side} onChange={(e) => setSide(e.target.value as 'buy' | 'sell')}>
        <option>buy</option>
        <option>sell</option>
      </select>
      <select aria-label="type" value={type} onChange={(e) => setType(e.target.value as 'market' | 'limit')}>
        <option>limit</option>
        <option>market</option>
      </select>
      <input aria-label="quantity" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} size={8} />
      {type === 'limit' && (
        <input
          aria-label="price"
          inputMode="decimal"
          placeholder={inst?.lastPrice ? `last ${inst.lastPrice}` : 'price'}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          size={10}
        />
      )}
      <button type="submit" disabled={act.busy}>
        Place {side}
      </button>
      {act.error && <span className="error">{act.error}</span>}
      {result && <span className="muted" data-testid="order-result">{result}</span>}
    </form>
  );
}
