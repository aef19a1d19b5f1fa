// One process: its versions, the diagram with where tokens wait (the bottleneck view) and
// incidents per element, the XML of any version, and starting an instance.
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Instance } from '../api';
import { Diagram, type Badge } from '../components/Diagram';
import { useAction, useLive } from '../hooks';
import { go, href } from '../router';
import { duration, localTime } from '../time';

/** One badge per element: how many tokens wait there and the longest wait. */
function waitingBadges(instances: Instance[]): Badge[] {
  const byElement = new Map<string, { count: number; oldest: string }>();
  const incidents = new Map<string, number>();
  for (const instance of instances) {
    for (const token of instance.waiting) {
      const seen = byElement.get(token.elementId);
      byElement.set(token.elementId, {
        count: (seen?.count ?? 0) + 1,
        oldest: seen && seen.oldest < token.since ? seen.oldest : token.since,
      });
    }
    for (const incident of instance.incidents) {
      if (incident.elementId)
        incidents.set(incident.elementId, (incidents.get(incident.elementId) ?? 0) + 1);
    }
  }
  const badges: Badge[] = [...byElement].map(([elementId, { count, oldest }]) => ({
    elementId,
    kind: 'waiting',
    text: `${count} · ${duration(oldest)}`,
    title: `${count} waiting; the longest for ${duration(oldest)}`,
  }));
  for (const [elementId, count] of incidents) {
    badges.push({ elementId, kind: 'incident', text: `${count} incident${count > 1 ? 's' : ''}` });
  }
  return badges;
}

export function ProcessPage({ processId }: { processId: string }) {
  const definitions = useLive(() => api.definitions(), []);
  const definition = definitions.data?.find((d) => d.processId === processId);
  const [chosen, setChosen] = useState<number>();
  const version = chosen ?? definition?.latestVersion;
  const [showXml, setShowXml] = useState(false);
  const xml = useLive(
    () => (version ? api.definitionXml(processId, version) : Promise.resolve(undefined)),
    [processId, version],
    null,
  );
  const active = useLive(
    () => api.activeInstancesInFull(processId),
    [processId],
    (event) => event.event !== 'job.created',
  );
  const instances = useMemo(
    () => (active.data ?? []).filter((i) => i.version === version),
    [active.data, version],
  );
  const badges = useMemo(() => waitingBadges(instances), [instances]);

  if (definitions.data && !definition) return <p className="page">No process {processId}.</p>;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{definition?.name || processId}</h1>
        <label>
          Version{' '}
          <select value={version ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
            {definition?.versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} — deployed {localTime(v.deployedAt)}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => setShowXml(!showXml)}>
          {showXml ? 'Show diagram' : 'Show XML'}
        </button>
        <a className="button" href={href(`/modeler/${encodeURIComponent(processId)}`)}>
          Edit in modeler
        </a>
        <a className="button" href={href(`/instances?processId=${encodeURIComponent(processId)}`)}>
          Instances
        </a>
      </div>
      <p className="muted">
        {instances.length} active instance{instances.length === 1 ? '' : 's'} of this version;
        badges show how many tokens wait at each element and for how long.
      </p>
      {showXml ? <pre className="xml">{xml.data}</pre> : <Diagram xml={xml.data} badges={badges} />}
      <StartInstance processId={processId} />
    </div>
  );
}

function StartInstance({ processId }: { processId: string }) {
  const [variables, setVariables] = useState('{}');
  const [businessKey, setBusinessKey] = useState('');
  const [error, run] = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const parsed = JSON.parse(variables || '{}');
      const instance = await api.startInstance(processId, parsed, businessKey);
      go(`/instances/${instance.id}`);
    });
  }

  return (
    <form className="card inline-form" onSubmit={submit}>
      <h2>Start an instance</h2>
      <label>
        Business key
        <input value={businessKey} onChange={(e) => setBusinessKey(e.target.value)} />
      </label>
      <label className="grow">
        Variables (JSON)
        <input value={variables} onChange={(e) => setVariables(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Start instance
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
