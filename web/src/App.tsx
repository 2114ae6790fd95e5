import { useEffect, useState } from 'react';
import {
  type Session,
  type SystemStatus,
  connectStream,
  currentSession,
  disconnectStream,
  login,
  logout,
  onConnection,
  onSession,
} from './api';
import { useResource } from './hooks';
import { Backtests } from './pages/Backtests';
import { Book } from './pages/Book';
import { Chart } from './pages/Chart';
import { Fills } from './pages/Fills';
import { Orders } from './pages/Orders';
import { Overview } from './pages/Overview';
import { Positions } from './pages/Positions';
import { Risk } from './pages/Risk';
import { Strategies } from './pages/Strategies';

const PAGES = {
  overview: ['Overview', Overview],
  chart: ['Chart', Chart],
  book: ['Book', Book],
  positions: ['Positions', Positions],
  orders: ['Orders', Orders],
  fills: ['Fills', Fills],
  strategies: ['Strategies', Strategies],
  risk: ['Risk', Risk],
  backtests: ['Backtests', Backtests],
} as const;
type PageName = keyof typeof PAGES;
export interface PageProps {
  readonly session: Session;
}

const pageFromHash = (): PageName => {
  const h = location.hash.replace(/^#\/?/, '').split('/')[0] as PageName;
  return h in PAGES ? h : 'overview';
};

export function App() {
  const [session, setSession] = useState(currentSession());
  useEffect(() => onSession(setSession), []);
  return session ? <Shell session={session} /> : <Login />;
}

function Login() {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main className="login">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          login(username, password)
            .catch((err: Error) => setError(err.message))
            .finally(() => setBusy(false));
        }}
      >
        <h1>TickerML</h1>
        <p className="muted">Paper trading node</p>
        <label>
          User
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" disabled={busy || !password}>
          Log in
        </button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}

function Shell({ session }: PageProps) {
  const [page, setPage] = useState(pageFromHash);
  const [live, setLive] = useState(false);
  const status = useResource<SystemStatus>('/system/status', { streams: ['system'], pollMs: 15_000 });
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const off = onConnection(setLive);
    connectStream();
    return () => {
      off();
      disconnectStream();
    };
  }, []);
  const Page = PAGES[page][1];
  const feed = status.data?.feed;
  return (
    <div className="shell">
      <header>
        <strong className="brand">TickerML</strong>
        <span className="badge">paper</span>
        {feed?.kind === 'replay' && (
          <span className="badge replay" title={feed.description} data-testid="replay-badge">
            REPLAY
          </span>
        )}
        {feed && feed.kind !== 'replay' && (
          <span className="badge live-feed" title={feed.description} data-testid="live-badge">
            LIVE
          </span>
        )}
        <span className={`dot ${live ? 'up' : 'down'}`} title={live ? 'stream connected' : 'stream disconnected'} />
        <span className="spacer" />
        <span className="muted who">
          {session.username} · {session.role}
        </span>
        <button className="link" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <nav>
        {(Object.keys(PAGES) as PageName[]).map((p) => (
          <a key={p} href={`#/${p}`} className={p === page ? 'active' : ''}>
            {PAGES[p][0]}
          </a>
        ))}
      </nav>
      <main>
        <Page session={session} />
      </main>
    </div>
  );
}
