// Every deployed process with its versions and how many instances are in each state.
import { api } from '../api';
import { useLive } from '../hooks';
import { href } from '../router';
import { ago, localTime } from '../time';

export function ProcessesPage() {
  const definitions = useLive(() => api.definitions(), []);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Processes</h1>
        <a className="button primary" href={href('/modeler')}>
          New process
        </a>
      </div>
      {definitions.error && <p className="error">{definitions.error}</p>}
      {definitions.data?.length === 0 && <p className="muted">Nothing deployed yet.</p>}
      <table>
        <thead>
          <tr>
            <th>Process</th>
            <th>Versions</th>
            <th>Latest deployed</th>
            <th className="num">Active</th>
            <th className="num">Completed</th>
            <th className="num">Terminated</th>
          </tr>
        </thead>
        <tbody>
          {definitions.data?.map((d) => (
            <tr key={d.processId}>
              <td>
                <a href={href(`/processes/${encodeURIComponent(d.processId)}`)}>
                  {d.name || d.processId}
                </a>
                <div className="muted small">{d.processId}</div>
              </td>
              <td>{d.versions.map((v) => v.version).join(', ')}</td>
              <td title={localTime(d.versions[0]?.deployedAt)}>{ago(d.versions[0]?.deployedAt)}</td>
              <td className="num">{d.instanceCounts.active ?? 0}</td>
              <td className="num">{d.instanceCounts.completed ?? 0}</td>
              <td className="num">{d.instanceCounts.terminated ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
