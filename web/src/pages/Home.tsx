// What needs attention: open incidents, my tasks, and tokens waiting longer than usual.
import { api, type Instance, type Me } from '../api';
import { useLive } from '../hooks';
import { href } from '../router';
import { ago, duration } from '../time';

interface SlowWait {
  processId: string;
  elementId: string;
  instanceId: string;
  since: string;
}

/** Tokens waiting more than twice as long as the median at their element (and over a minute). */
function slowWaits(instances: Instance[]): SlowWait[] {
  const waits = new Map<string, SlowWait[]>();
  for (const instance of instances) {
    for (const token of instance.waiting) {
      const key = `${instance.processId}/${token.elementId}`;
      const wait = {
        processId: instance.processId,
        elementId: token.elementId,
        instanceId: instance.id,
        since: token.since,
      };
      waits.set(key, [...(waits.get(key) ?? []), wait]);
    }
  }
  const now = Date.now();
  const slow: SlowWait[] = [];
  for (const group of waits.values()) {
    const ages = group.map((w) => now - new Date(w.since).getTime()).sort((a, b) => a - b);
    const median = ages[Math.floor(ages.length / 2)];
    for (const wait of group) {
      const age = now - new Date(wait.since).getTime();
      if (age > 60_000 && (group.length === 1 ? age > 86_400_000 : age > 2 * median))
        slow.push(wait);
    }
  }
  return slow.sort((a, b) => a.since.localeCompare(b.since)).slice(0, 10);
}

export function HomePage({ me }: { me: Me }) {
  const incidents = useLive(() => api.incidents(), []);
  const tasks = useLive(() => api.tasks({ assignee: me.name }), [me.name]);
  const active = useLive(
    () => api.activeInstancesInFull(undefined, 100),
    [],
    (event) => event.event.startsWith('element.'),
  );
  const slow = slowWaits(active.data ?? []);

  return (
    <div className="page">
      <h1>Welcome, {me.name}</h1>
      <div className="columns">
        <section className="card">
          <h2>
            Open incidents <span className="count">{incidents.data?.length ?? 0}</span>
          </h2>
          {incidents.data?.length === 0 && <p className="muted">Nothing is stuck.</p>}
          <ul className="plain">
            {incidents.data?.slice(0, 8).map((incident) => (
              <li key={incident.id}>
                <a href={href(`/instances/${incident.processInstanceId}`)}>
                  {incident.elementId ?? incident.processInstanceId}
                </a>{' '}
                <span className="error-text">{incident.message}</span>{' '}
                <span className="muted">{ago(incident.createdAt)}</span>
              </li>
            ))}
          </ul>
          <a href={href('/incidents')}>All incidents</a>
        </section>
        <section className="card">
          <h2>
            My tasks <span className="count">{tasks.data?.length ?? 0}</span>
          </h2>
          {tasks.data?.length === 0 && <p className="muted">No tasks assigned to you.</p>}
          <ul className="plain">
            {tasks.data?.slice(0, 8).map((task) => (
              <li key={task.id}>
                <a href={href(`/tasks/${task.id}`)}>{task.name || task.elementId}</a>{' '}
                <span className="muted">
                  {task.processId}, waiting {duration(task.createdAt)}
                </span>
              </li>
            ))}
          </ul>
          <a href={href('/tasks')}>All tasks</a>
        </section>
        <section className="card">
          <h2>Waiting longer than usual</h2>
          {slow.length === 0 && <p className="muted">No unusually long waits.</p>}
          <ul className="plain">
            {slow.map((wait) => (
              <li key={`${wait.instanceId}/${wait.elementId}`}>
                <a href={href(`/instances/${wait.instanceId}`)}>
                  {wait.processId} at {wait.elementId}
                </a>{' '}
                <span className="muted">waiting {duration(wait.since)}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
