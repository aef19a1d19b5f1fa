// Every open incident, grouped by process and error, retried one by one or in bulk.
import { api, type Incident } from '../api';
import { useAction, useLive } from '../hooks';
import { href } from '../router';
import { ago, localTime } from '../time';

interface Group {
  processId: string;
  message: string;
  incidents: Incident[];
}

async function loadGroups(): Promise<Group[]> {
  const [incidents, instances] = await Promise.all([
    api.incidents(),
    api.instances({ hasIncident: true, limit: 500 }),
  ]);
  const processOf = new Map(instances.items.map((i) => [i.id, i.processId]));
  const groups = new Map<string, Group>();
  for (const incident of incidents) {
    const processId = processOf.get(incident.processInstanceId) ?? 'unknown process';
    const key = `${processId}\n${incident.message}`;
    const group = groups.get(key) ?? { processId, message: incident.message, incidents: [] };
    group.incidents.push(incident);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.incidents.length - a.incidents.length);
}

export function IncidentsPage() {
  const groups = useLive(loadGroups, [], (event) => event.event.startsWith('incident.'));
  const [error, run] = useAction();

  const retry = (incidents: Incident[]) =>
    run(async () => {
      for (const incident of incidents) await api.resolveIncident(incident.id);
      groups.reload();
    });

  return (
    <div className="page">
      <h1>Incidents</h1>
      {error && <p className="error">{error}</p>}
      {groups.data?.length === 0 && <p className="muted">No open incidents.</p>}
      {groups.data?.map((group) => (
        <section className="card" key={`${group.processId}\n${group.message}`}>
          <div className="page-head">
            <h2>
              {group.processId} <span className="count">{group.incidents.length}</span>
            </h2>
            <span className="error-text grow">{group.message}</span>
            <button type="button" className="primary" onClick={() => retry(group.incidents)}>
              Retry all {group.incidents.length}
            </button>
          </div>
          <table className="compact">
            <tbody>
              {group.incidents.map((incident) => (
                <tr key={incident.id}>
                  <td>
                    <a href={href(`/instances/${incident.processInstanceId}`)}>
                      {incident.processInstanceId}
                    </a>
                  </td>
                  <td>{incident.elementId}</td>
                  <td>{incident.kind}</td>
                  <td title={localTime(incident.createdAt)}>{ago(incident.createdAt)}</td>
                  <td>
                    <button type="button" onClick={() => retry([incident])}>
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
