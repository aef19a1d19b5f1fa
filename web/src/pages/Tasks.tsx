// My tasks and my groups' tasks: claim, unclaim, fill in the form, complete. Live.
import { useState } from 'react';
import { api, type Me, type UserTask, type Variables } from '../api';
import { TaskFormView } from '../components/TaskFormView';
import { useAction, useLive } from '../hooks';
import { go, href } from '../router';
import { duration, localTime } from '../time';

const isTaskEvent = (event: { event: string }) => event.event.startsWith('task.');
const PAGE_SIZE = 100;

/** The first `pages` pages of open tasks, oldest first (the API pages by task id). */
async function loadTasks(pages: number): Promise<UserTask[]> {
  const all: UserTask[] = [];
  for (let page = 0; page < pages; page++) {
    const afterId = all.length ? String(all[all.length - 1].id) : undefined;
    const next = await api.tasks({ afterId, limit: String(PAGE_SIZE) });
    all.push(...next);
    if (next.length < PAGE_SIZE) break;
  }
  return all;
}

export function TasksPage({ me, selectedId }: { me: Me; selectedId?: number }) {
  const [scope, setScope] = useState<'mine' | 'groups' | 'all'>('all');
  const [pages, setPages] = useState(1);
  const tasks = useLive(() => loadTasks(pages), [pages], isTaskEvent);
  const visible = (tasks.data ?? []).filter((task) => {
    if (scope === 'mine') return task.assignee === me.name;
    if (scope === 'groups') return task.candidateGroups.some((g) => me.groups.includes(g));
    return true;
  });
  const selected = tasks.data?.find((t) => t.id === selectedId);

  return (
    <div className="page tasks-page">
      <aside className="task-list">
        <div className="tabs">
          {(['all', 'mine', 'groups'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className={scope === s ? 'active' : ''}
              onClick={() => setScope(s)}
            >
              {s === 'all' ? 'All I may do' : s === 'mine' ? 'Assigned to me' : 'My groups'}
            </button>
          ))}
        </div>
        {visible.length === 0 && <p className="muted">No open tasks.</p>}
        <ul className="plain">
          {visible.map((task) => (
            <li key={task.id} className={task.id === selectedId ? 'selected' : ''}>
              <a href={href(`/tasks/${task.id}`)}>
                <strong>{task.name || task.elementId}</strong>
                <span className="muted small">
                  {task.processId} · waiting {duration(task.createdAt)}
                  {task.assignee ? ` · ${task.assignee}` : ' · unassigned'}
                </span>
              </a>
            </li>
          ))}
        </ul>
        {(tasks.data?.length ?? 0) >= pages * PAGE_SIZE && (
          <button type="button" onClick={() => setPages(pages + 1)}>
            Load more
          </button>
        )}
      </aside>
      <section className="task-detail">
        {selected ? (
          <TaskDetail key={selected.id} task={selected} me={me} onChange={tasks.reload} />
        ) : (
          <p className="muted">
            {selectedId ? 'This task is done or not yours.' : 'Choose a task.'}
          </p>
        )}
      </section>
    </div>
  );
}

function TaskDetail({ task, me, onChange }: { task: UserTask; me: Me; onChange: () => void }) {
  const form = useLive(
    () => (task.formKey ? api.taskForm(task.id).then((f) => f.schema) : Promise.resolve(null)),
    [task.id],
    null,
  );
  const [error, run] = useAction();
  const mine = task.assignee === me.name;

  async function complete(values: Variables) {
    if (await run(() => api.completeTask(task.id, values))) {
      onChange();
      go('/tasks');
    }
  }

  return (
    <div>
      <div className="page-head">
        <h1>{task.name || task.elementId}</h1>
        <span className="spacer" />
        {mine ? (
          <button type="button" onClick={() => run(() => api.unclaim(task.id).then(onChange))}>
            Unclaim
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => run(() => api.claim(task.id).then(onChange))}
          >
            Claim
          </button>
        )}
      </div>
      <p className="muted">
        <a href={href(`/instances/${task.processInstanceId}`)}>{task.processId}</a> · created{' '}
        {localTime(task.createdAt)} (waiting {duration(task.createdAt)}) ·{' '}
        {task.assignee ? `assigned to ${task.assignee}` : 'unassigned'}
        {task.candidateGroups.length > 0 && ` · groups ${task.candidateGroups.join(', ')}`}
        {task.dueDate && ` · due ${localTime(task.dueDate)}`}
      </p>
      {error && <p className="error">{error}</p>}
      {!mine && <p className="muted">Claim the task to work on it.</p>}
      {form.error && <p className="error">{form.error}</p>}
      {form.data ? (
        <TaskFormView
          schema={form.data}
          data={task.variables}
          disabled={!mine}
          onSubmit={complete}
        />
      ) : (
        form.data === null && (
          <button type="button" className="primary" disabled={!mine} onClick={() => complete({})}>
            Complete
          </button>
        )
      )}
    </div>
  );
}
