// Process instances, filtered by state, process, business key, start time, incidents and a
// variable's value; more pages load on demand.
import { useState } from 'react';
import { api, type Instance } from '../api';
import { useLive } from '../hooks';
import { href, routeQuery } from '../router';
import { ago, localTime } from '../time';

interface Filters {
  state: string;
  processId: string;
  businessKey: string;
  startedAfter: string;
  hasIncident: string;
  variable: string;
}

export function InstancesPage() {
  const initial = routeQuery();
  const [filters, setFilters] = useState<Filters>({
    state: initial.get('state') ?? '',
    processId: initial.get('processId') ?? '',
    businessKey: '',
    startedAfter: '',
    hasIncident: '',
    variable: '',
  });
  const [more, setMore] = useState<Instance[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);

  const params = {
    ...filters,
    startedAfter: filters.startedAfter ? new Date(filters.startedAfter).toISOString() : '',
    limit: 50,
  };
  const page = useLive(
    async () => {
      const first = await api.instances(params);
      setMore([]);
      setCursor(first.nextCursor);
      return first;
    },
    [JSON.stringify(filters)],
    (event) => event.event !== 'job.created',
  );

  async function loadMore() {
    if (!cursor) return;
    const next = await api.instances({ ...params, cursor });
    setMore([...more, ...next.items]);
    setCursor(next.nextCursor);
  }

  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setFilters({ ...filters, [key]: event.target.value });
  const rows = [...(page.data?.items ?? []), ...more];

  return (
    <div className="page">
      <h1>Instances</h1>
      <div className="filters">
        <select aria-label="State" value={filters.state} onChange={set('state')}>
          <option value="">Any state</option>
          <option value="active">Active</option>
          <option value="completed">Completed</option>
          <option value="terminated">Terminated</option>
        </select>
        <input placeholder="Process id" value={filters.processId} onChange={set('processId')} />
        <input
          placeholder="Business key"
          value={filters.businessKey}
          onChange={set('businessKey')}
        />
        <label>
          Started after{' '}
          <input
            type="datetime-local"
            value={filters.startedAfter}
            onChange={set('startedAfter')}
          />
        </label>
        <select aria-label="Incidents" value={filters.hasIncident} onChange={set('hasIncident')}>
          <option value="">With or without incidents</option>
          <option value="true">With incidents</option>
          <option value="false">Without incidents</option>
        </select>
        <input
          placeholder="Variable, e.g. amount=42"
          value={filters.variable}
          onChange={set('variable')}
        />
      </div>
      {page.error && <p className="error">{page.error}</p>}
      <table>
        <thead>
          <tr>
            <th>Instance</th>
            <th>Process</th>
            <th>Business key</th>
            <th>State</th>
            <th>Started</th>
            <th>Ended</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((instance) => (
            <tr key={instance.id}>
              <td>
                <a href={href(`/instances/${instance.id}`)}>{instance.id}</a>
              </td>
              <td>
                {instance.processId} <span className="muted">v{instance.version}</span>
              </td>
              <td>{instance.businessKey}</td>
              <td>
                <span className={`state ${instance.state}`}>{instance.state}</span>
                {instance.incidents.length > 0 && <span className="state incident">incident</span>}
              </td>
              <td title={localTime(instance.startedAt)}>{ago(instance.startedAt)}</td>
              <td title={localTime(instance.endedAt)}>{ago(instance.endedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && page.data && <p className="muted">No instances match.</p>}
      {cursor && (
        <button type="button" onClick={loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}
