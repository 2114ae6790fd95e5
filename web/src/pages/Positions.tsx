import type { PageProps } from '../App';
import type { Position } from '../api';
import { fmtMoney, fmtNum, signClass } from '../format';
import { useResource } from '../hooks';

export function Positions(_: PageProps) {
  const r = useResource<Position[]>('/positions', { streams: ['portfolio', 'fills'] });
  return (
    <section>
      <h2>Positions</h2>
      {r.error && <p className="error">{r.error}</p>}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>Instrument</th>
              <th className="num">Quantity</th>
              <th className="num">Avg price</th>
              <th className="num">Last</th>
              <th className="num">Unrealized</th>
              <th className="num">Realized</th>
              <th className="num">Fees</th>
            </tr>
          </thead>
          <tbody>
            {(r.data ?? []).map((p) => (
              <tr key={p.instrumentId}>
                <td>{p.instrumentId}</td>
                <td className={`num ${signClass(p.quantity)}`}>{fmtNum(p.quantity)}</td>
                <td className="num">{fmtNum(p.averagePrice)}</td>
                <td className="num">{fmtNum(p.lastPrice)}</td>
                <td className={`num ${signClass(p.unrealizedPnl)}`}>{fmtMoney(p.unrealizedPnl)}</td>
                <td className={`num ${signClass(p.realizedPnl)}`}>{fmtMoney(p.realizedPnl)}</td>
                <td className="num">{fmtMoney(p.fees)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.data?.length === 0 && <p className="muted">No positions.</p>}
    </section>
  );
}
