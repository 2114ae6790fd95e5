import type { PageProps } from '../App';
import type { Fill } from '../api';
import { fmtMoney, fmtNum, fmtTime } from '../format';
import { useResource } from '../hooks';

export function Fills(_: PageProps) {
  const r = useResource<Fill[]>('/fills?limit=200', { streams: ['fills'] });
  return (
    <section>
      <h2>Fills</h2>
      {r.error && <p className="error">{r.error}</p>}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Strategy</th>
              <th>Instrument</th>
              <th>Side</th>
              <th className="num">Quantity</th>
              <th className="num">Price</th>
              <th className="num">Fee</th>
              <th>Liquidity</th>
            </tr>
          </thead>
          <tbody>
            {[...(r.data ?? [])].reverse().map((f) => (
              <tr key={f.id}>
                <td>{fmtTime(f.ts)}</td>
                <td>{f.strategyId}</td>
                <td>{f.instrumentId}</td>
                <td className={f.side}>{f.side}</td>
                <td className="num">{fmtNum(f.quantity)}</td>
                <td className="num">{fmtNum(f.price)}</td>
                <td className="num">{fmtMoney(f.fee)}</td>
                <td>{f.liquidity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.data?.length === 0 && <p className="muted">No fills yet.</p>}
    </section>
  );
}
