import { useEffect, useState } from 'react';
import { ApiError, api, setToken, type Schema } from './api.ts';
import { Boundary } from './ui.tsx';
import { OverviewPage } from './pages/Overview.tsx';
import { DataPage } from './pages/Data.tsx';
import { ModelsPage } from './pages/Models.tsx';
import { InsightsPage } from './pages/Insights.tsx';
import { PlansPage } from './pages/Plans.tsx';
import { TouchpointsPage } from './pages/Touchpoints.tsx';
import { ExperimentsPage } from './pages/Experiments.tsx';

const PAGES = [
  { path: 'overview', label: 'Overview' },
  { path: 'data', label: 'Data' },
  { path: 'models', label: 'Models' },
  { path: 'insights', label: 'Insights' },
  { path: 'plans', label: 'Plans' },
  { path: 'touchpoints', label: 'Touchpoints' },
  { path: 'experiments', label: 'Experiments' },
] as const;

function useRoute(): [string, string[]] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'overview').split('/').map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [parts[0], parts.slice(1)];
}

export function App() {
  const [page, args] = useRoute();
  const [needToken, setNeedToken] = useState(false);
  const [ready, setReady] = useState(0);
  useEffect(() => {
    api<Schema<'Dataset'>[]>('/api/datasets').catch((e) => { if (e instanceof ApiError && e.status === 401) setNeedToken(true); });
  }, [ready, page]);
  return (
    <div className="app">
      <header>
        <a className="brand" href="#/overview">Marginal</a>
        <nav aria-label="Main">
          {PAGES.map((p) => <a key={p.path} href={`#/${p.path}`} aria-current={page === p.path ? 'page' : undefined}>{p.label}</a>)}
        </nav>
      </header>
      {needToken && <TokenForm onDone={() => { setNeedToken(false); setReady((n) => n + 1); }} />}
      <main>
        <Boundary key={page}>
          {page === 'overview' && <OverviewPage />}
          {page === 'data' && <DataPage />}
          {page === 'models' && <ModelsPage />}
          {page === 'insights' && <InsightsPage id={args[0] ?? null} />}
          {page === 'plans' && <PlansPage id={args[0] ?? null} />}
          {page === 'touchpoints' && <TouchpointsPage />}
          {page === 'experiments' && <ExperimentsPage />}
          {!PAGES.some((p) => p.path === page) && <div className="page"><h1>Not found</h1><p>No page “{page}”. <a href="#/overview">Go to the overview</a>.</p></div>}
        </Boundary>
      </main>
    </div>
  );
}

function TokenForm({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form className="token" onSubmit={(e) => { e.preventDefault(); setToken(value); onDone(); }}>
      <label>This server needs its access token (MARGINAL_TOKEN): <input type="password" value={value} onChange={(e) => setValue(e.target.value)} /></label>
      <button type="submit">Use token</button>
    </form>
  );
}
