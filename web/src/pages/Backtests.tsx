import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { type BacktestJob, type BacktestResults, type Strategy, api, apiDocumentUrl, can } from '../api';
import { LineChart } from '../charts';
import { fmtDate, fmtMoney, fmtNum, signClass } from '../format';
import { useAction, useResource } from '../hooks';
import { InstrumentPicker, useInstruments } from './InstrumentPicker';

const selectedFromHash = () => decodeURIComponent(location.hash.split('/')[2] ?? '');

export function Backtests({ session }: PageProps) {
  const jobs = useResource<BacktestJob[]>('/backtests');
  const pending = (jobs.data ?? []).some((j) => j.status === 'queued' || j.status === 'running');
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(jobs.reload, 400);
    return () => clearInterval(t);
  }, [pending, jobs.reload]);
  const [selected, setSelected] = useState(selectedFromHash);
  useEffect(() => {
    const f = () => setSelected(selectedFromHash());
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  const job = jobs.data?.find((j) => j.id === selected);
  return (
    <section>
      <h2>Backtests</h2>
      {can(session.role, 'trader') && <BacktestForm onSubmitted={(id) => { jobs.reload(); location.hash = `#/backtests/${id}`; }} />}
      {jobs.error && <p className="error">{jobs.error}</p>}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>Strategy</th>
              <th>Instrument</th>
              <th>Parameters</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...(jobs.data ?? [])].reverse().map((j) => (
              <tr key={j.id} className={j.id === selected ? 'selected' : ''} data-backtest={j.id}>
                <td>{j.id}</td>
                <td>{j.request.strategy}</td>
                <td>{j.request.instrumentId}</td>
                <td className="small">{JSON.stringify(j.request.params ?? {})}</td>
                <td>
                  {j.status === 'running' || j.status === 'queued' ? (
                    <progress value={j.progress} max={1} aria-label={`${j.id} progress`} />
                  ) : (
                    <span className={j.status === 'failed' ? 'neg' : ''} data-testid="backtest-status">
                      {j.status}
                    </span>
                  )}
                  {j.error && <div className="error small">{j.error}</div>}
                </td>
                <td>
                  {j.status === 'done' && (
                    <span className="row">
                      <a href={`#/backtests/${j.id}`}>Results</a>
                      <OpenReport id={j.id} />
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {jobs.data?.length === 0 && <p className="muted">No backtests yet.</p>}
      {job?.status === 'done' && <Results id={job.id} />}
    </section>
  );
}

/**
 * The report needs the access token, so a link cannot open it: the tab is opened at the click (popup
 * blockers allow that), the page is fetched with the token and shown from a blob: URL.
 */
function OpenReport({ id }: { id: string }) {
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        className="link"
        onClick={() => {
          setError(undefined);
          const tab = window.open('', '_blank');
          apiDocumentUrl(`/backtests/${encodeURIComponent(id)}/report`)
            .then((url) => {
              if (tab) tab.location.href = url;
              else window.location.href = url;
              setTimeout(() => URL.revokeObjectURL(url), 60_000);
            })
            .catch((e: Error) => {
              tab?.close();
              setError(e.message);
            });
        }}
      >
        Open report
      </button>
      {error && <span className="error small">{error}</span>}
    </>
  );
}

function BacktestForm({ onSubmitted }: { onSubmitted: (id: string) => void }) {
  const instruments = useInstruments();
  const strategies = useResource<Strategy[]>('/strategies').data ?? [];
  const [instrumentId, setInstrument] = useState('');
  const [strategy, setStrategy] = useState('sma-cross');
  const [params, setParams] = useState('{"fast": 10, "slow": 30}');
  const [cash, setCash] = useState('10000');
  const [commission, setCommission] = useState('0.001');
  const act = useAction();
  useEffect(() => {
    if (!instrumentId && instruments[0]) setInstrument(instruments[0].id);
  }, [instrumentId, instruments]);
  return (
    <form
      className="row form"
      aria-label="new backtest"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run(async () => {
          let p: unknown;
          try {
            p = JSON.parse(params || '{}');
          } catch {
            throw new Error('parameters: not valid JSON');
          }
          const j = await api<BacktestJob>('/backtests', {
            method: 'POST',
            body: { strategy, params: p, instrumentId, cash: Number(cash), commission: Number(commission) },
          });
          onSubmitted(j.id);
        });
      }}
    >
      <input aria-label="strategy" list="strategy-names" value={strategy} onChange={(e) => setStrategy(e.target.value)} size={12} />
      <datalist id="strategy-names">
        {[...new Set(strategies.map((s) => s.name))].map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <InstrumentPicker value={instrumentId} onChange={setInstrument} instruments={instruments} />
      <input aria-label="parameters" value={params} onChange={(e) => setParams(e.target.value)} size={22} />
      <label>
        cash <input aria-label="cash" value={cash} onChange={(e) => setCash(e.target.value)} size={8} />
      </label>
      <label>
        fee <input aria-label="commission" value={commission} onChange={(e) => setCommission(e.target.value)} size={6} />
      </label>
      <button type="submit" disabled={act.busy}>
        Run backtest
      </button>
      {act.error && <span className="error">{act.error}</span>}
    </form>
  );
}

const STAT_ORDER = ['totalReturnPct', 'cagrPct', 'sharpe', 'sortino', 'maxDrawdownPct', 'trades', 'winRatePct', 'profitFactor'];

function Results({ id }: { id: string }) {
  const r = useResource<BacktestResults>(`/backtests/${encodeURIComponent(id)}/results`);
  if (r.error) return <p className="error">{r.error}</p>;
  const d = r.data;
  if (!d) return <p className="muted">Loading results…</p>;
  const stats = Object.entries(d.stats).sort(
    ([a], [b]) => (STAT_ORDER.indexOf(a) + 1 || 99) - (STAT_ORDER.indexOf(b) + 1 || 99),
  );
  return (
    <div className="results" data-testid="backtest-results">
      <h3>
        Results of {d.id} <span className="muted small">{d.bars} bars, {d.fills} fills, {d.seconds.toFixed(2)} s</span>
      </h3>
      <LineChart label="backtest equity" height={240} points={d.equity.map((p) => ({ time: p.ts / 1e6, value: p.equity }))} />
      <dl className="kv">
        {stats.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === 'number' ? fmtNum(v) : String(v)}</dd>
          </div>
        ))}
      </dl>
      <h3>Trades ({d.trades.length})</h3>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th>Entry</th>
              <th>Exit</th>
              <th className="num">Size</th>
              <th className="num">Entry price</th>
              <th className="num">Exit price</th>
              <th className="num">P&L</th>
            </tr>
          </thead>
          <tbody>
            {d.trades.slice(-100).reverse().map((t, i) => (
              <tr key={i}>
                <td>{fmtDate(t.entryTs)}</td>
                <td>{fmtDate(t.exitTs)}</td>
                <td className="num">{fmtNum(t.size)}</td>
                <td className="num">{fmtNum(t.entryPrice)}</td>
                <td className="num">{fmtNum(t.exitPrice)}</td>
                <td className={`num ${signClass(t.pnl)}`}>{fmtMoney(t.pnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
