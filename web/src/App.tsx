// The app's frame: sign-in gate, navigation, and which page the URL shows.
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, setOnUnauthenticated, type Me } from './api';
import { HomePage } from './pages/Home';
import { IncidentsPage } from './pages/Incidents';
import { InstancePage } from './pages/Instance';
import { InstancesPage } from './pages/Instances';
import { ProcessesPage } from './pages/Processes';
import { ProcessPage } from './pages/Process';
import { SecretsPage } from './pages/Secrets';
import { TasksPage } from './pages/Tasks';
import { href, useRoute } from './router';

// The modeler (bpmn-js, properties panel, form editor) is most of the bundle: load it on demand.
const ModelerPage = lazy(() => import('./pages/Modeler').then((m) => ({ default: m.ModelerPage })));

// Each section, and the permission it needs (the server checks again; this only hides
// what the user could not use).
const NAV: [path: string, label: string, permission: string | null][] = [
  ['', 'Home', null],
  ['modeler', 'Modeler', 'deploy'],
  ['processes', 'Processes', 'instances:read'],
  ['instances', 'Instances', 'instances:read'],
  ['tasks', 'Tasks', 'tasks'],
  ['incidents', 'Incidents', 'instances:read'],
  ['secrets', 'Secrets', 'secrets:manage'],
];

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const route = useRoute();

  useEffect(() => {
    setOnUnauthenticated(() => setMe(null));
    api.me().then(setMe, () => setMe(null));
  }, []);

  if (me === undefined) return <div className="loading">Loading…</div>;
  if (me === null) return <SignIn onSignedIn={setMe} />;

  const [section = '', id] = route;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Stead</span>
        <nav>
          {NAV.filter(([, , needs]) => !needs || me.permissions.includes(needs)).map(
            ([path, label]) => (
              <a key={path} href={href(`/${path}`)} className={section === path ? 'active' : ''}>
                {label}
              </a>
            ),
          )}
        </nav>
        <span className="spacer" />
        <span className="muted">{me.name}</span>
        <button type="button" onClick={() => api.signOut().finally(() => setMe(null))}>
          Sign out
        </button>
      </header>
      <main className={section === 'modeler' ? 'full' : ''}>
        <Suspense fallback={<p className="page">Loading…</p>}>
          <Page section={section} id={id} me={me} />
        </Suspense>
      </main>
    </div>
  );
}

function Page({ section, id, me }: { section: string; id?: string; me: Me }) {
  switch (section) {
    case 'modeler':
      return <ModelerPage processId={id} />;
    case 'processes':
      return id ? <ProcessPage processId={id} /> : <ProcessesPage />;
    case 'instances':
      return id ? <InstancePage instanceId={id} /> : <InstancesPage />;
    case 'tasks':
      return <TasksPage me={me} selectedId={id ? Number(id) : undefined} />;
    case 'incidents':
      return <IncidentsPage />;
    case 'secrets':
      return <SecretsPage />;
    default:
      return <HomePage me={me} />;
  }
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      onSignedIn(await api.signIn(username, password));
    } catch (reason) {
      setError(reason instanceof ApiError ? reason.message : String(reason));
    }
  }

  return (
    <div className="signin">
      <form onSubmit={submit} className="card">
        <h1>Sign in to Stead</h1>
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error">{error}</p>}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </div>
  );
}
