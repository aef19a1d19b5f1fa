// One instance: its diagram (completed path, waiting tokens, incidents), variables, audit
// timeline, and what an operator may do: cancel, retry an incident, publish a message.
import { useMemo, useState, type FormEvent } from 'react';
import { api, type HistoryEntry, type Instance } from '../api';
import { Diagram, type Badge } from '../components/Diagram';
import { useAction, useLive } from '../hooks';
import { ago, duration, localTime } from '../time';

function diagramState(instance: Instance | undefined, history: HistoryEntry[] | undefined) {
  const markers: Record<string, string> = {};
  for (const entry of history ?? []) {
    if (entry.event === 'element.completed' && entry.elementId)
      markers[entry.elementId] = 'completed';
  }
  const badges: Badge[] = [];
  for (const token of instance?.waiting ?? []) {
    markers[token.elementId] = 'waiting';
    badges.push({
      elementId: token.elementId,
      kind: 'waiting',
      text: `waiting ${duration(token.since)}`,
    });
  }
  for (const incident of instance?.incidents ?? []) {
    if (!incident.elementId) continue;
    markers[incident.elementId] = 'incident';
    badges.push({
      elementId: incident.elementId,
      kind: 'incident',
      text: 'incident',
      title: incident.message,
    });
  }
  return { markers, badges };
}

export function InstancePage({ instanceId }: { instanceId: string }) {
  const mine = (event: { processInstanceId: string }) => event.processInstanceId === instanceId;
  const instance = useLive(() => api.instance(instanceId), [instanceId], mine);
  const history = useLive(() => api.history(instanceId), [instanceId], mine);
  const data = instance.data;
  const xml = useLive(
    () => (data ? api.definitionXml(data.processId, data.version) : Promise.resolve(undefined)),
    [data?.processId, data?.version],
    null,
  );
  const { markers, badges } = useMemo(() => diagramState(data, history.data), [data, history.data]);
  const [error, run] = useAction();

  if (instance.error) return <p className="page error">{instance.error}</p>;
  if (!data) return <p className="page">Loading…</p>;
  const refresh = () => {
    instance.reload();
    history.reload();
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {data.processId} <span className="muted">v{data.version}</span>
        </h1>
        <span className={`state ${data.state}`}>{data.state}</span>
        <span className="muted">
          {data.businessKey && <>business key {data.businessKey} · </>}
          started {localTime(data.startedAt)} ({ago(data.startedAt)})
          {data.endedAt && <> · ended {localTime(data.endedAt)}</>}
        </span>
        <span className="spacer" />
        {data.state === 'active' && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              confirm('Cancel this instance?') && run(() => api.cancel(data.id).then(refresh))
            }
          >
            Cancel instance
          </button>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      <Diagram xml={xml.data} markers={markers} badges={badges} />
      {data.incidents.length > 0 && (
        <section className="card">
          <h2>Incidents</h2>
          <ul className="plain">
            {data.incidents.map((incident) => (
              <li key={incident.id}>
                <strong>{incident.elementId}</strong>{' '}
                <span className="error-text">{incident.message}</span>{' '}
                <span className="muted">{ago(incident.createdAt)}</span>{' '}
                <button
                  type="button"
                  onClick={() => run(() => api.resolveIncident(incident.id).then(refresh))}
                >
                  Retry
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="columns two">
        <Variables instance={data} onSaved={refresh} />
        {data.state === 'active' && <PublishMessage instance={data} onPublished={refresh} />}
      </div>
      <Timeline entries={history.data ?? []} />
    </div>
  );
}

function Variables({ instance, onSaved }: { instance: Instance; onSaved: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, run] = useAction();

  async function save() {
    const ok = await run(() => api.setVariables(instance.id, JSON.parse(editing ?? '{}')));
    if (ok) {
      setEditing(null);
      onSaved();
    }
  }

  return (
    <section className="card">
      <div className="page-head">
        <h2>Variables</h2>
        <span className="spacer" />
        {editing === null && instance.state === 'active' && (
          <button
            type="button"
            onClick={() => setEditing(JSON.stringify(instance.variables, null, 2))}
          >
            Edit variables
          </button>
        )}
      </div>
      {editing === null ? (
        <table className="compact">
          <tbody>
            {Object.entries(instance.variables).map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>
                  <code>{JSON.stringify(value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <>
          <textarea
            aria-label="Variables JSON"
            rows={8}
            value={editing}
            onChange={(e) => setEditing(e.target.value)}
          />
          <p className="muted small">
            Changed and new variables are merged in; the change is recorded in the audit trail.
          </p>
          <button type="button" className="primary" onClick={save}>
            Save variables
          </button>{' '}
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function PublishMessage({
  instance,
  onPublished,
}: {
  instance: Instance;
  onPublished: () => void;
}) {
  const waitsFor = instance.waiting.filter((w) => /message|receive/i.test(w.kind));
  const [name, setName] = useState('');
  const [key, setKey] = useState(instance.businessKey ?? '');
  const [variables, setVariables] = useState('{}');
  const [error, run] = useAction();
  const [result, setResult] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const published = (await api.publishMessage(name, key, JSON.parse(variables || '{}'))) as {
        correlated: string[];
      };
      setResult(
        published.correlated.length ? 'Correlated.' : 'Published; nothing waiting matched it yet.',
      );
      onPublished();
    });
  }

  return (
    <form className="card" onSubmit={submit}>
      <h2>Publish a message</h2>
      {waitsFor.length > 0 && (
        <p className="muted small">
          Waiting for a message at {waitsFor.map((w) => w.elementId).join(', ')}.
        </p>
      )}
      <label>
        Message name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Correlation key <input value={key} onChange={(e) => setKey(e.target.value)} />
      </label>
      <label>
        Variables (JSON) <input value={variables} onChange={(e) => setVariables(e.target.value)} />
      </label>
      <button type="submit">Publish</button> <span className="muted">{result}</span>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

function Timeline({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section className="card">
      <h2>Audit timeline</h2>
      <ol className="timeline">
        {entries.map((entry) => (
          <li key={entry.seq}>
            <span className="when" title={localTime(entry.time)}>
              {localTime(entry.time)}
            </span>
            <span className="event">{entry.event}</span>
            <span>{entry.elementId}</span>
            <span className="muted">by {entry.actor}</span>
            {Object.keys(entry.data).length > 0 && (
              <code className="data" title={JSON.stringify(entry.data, null, 2)}>
                {JSON.stringify(entry.data)}
              </code>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
