// The only module that talks to the server: Stead's public REST API under /api and its
// event stream. The session cookie is HttpOnly; unsafe requests repeat the CSRF token.

export type Variables = Record<string, unknown>;

export interface Me {
  name: string;
  roles: string[];
  groups: string[];
  permissions: string[];
}

export interface DefinitionVersion {
  version: number;
  name: string | null;
  resourceName: string;
  deployedAt: string;
  instanceCounts: Record<string, number>;
}

export interface ProcessDefinition {
  processId: string;
  name: string | null;
  latestVersion: number;
  versions: DefinitionVersion[];
  instanceCounts: Record<string, number>;
}

export interface WaitingToken {
  elementId: string;
  elementInstanceKey: number;
  kind: string;
  since: string;
}

export interface Incident {
  id: number;
  processInstanceId: string;
  elementId: string | null;
  kind: string;
  message: string;
  state: string;
  jobId: number | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface Instance {
  id: string;
  processId: string;
  version: number;
  businessKey: string | null;
  state: string;
  variables: Variables;
  startedAt: string;
  endedAt: string | null;
  parentInstanceId: string | null;
  waiting: WaitingToken[];
  incidents: Incident[];
}

export interface InstancePage {
  items: Instance[];
  nextCursor: string | null;
}

export interface HistoryEntry {
  seq: number;
  time: string;
  event: string;
  elementId: string | null;
  elementInstanceKey: number | null;
  actor: string;
  data: Record<string, unknown>;
}

export interface UserTask {
  id: number;
  elementId: string;
  name: string | null;
  processInstanceId: string;
  processId: string;
  state: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  formKey: string | null;
  dueDate: string | null;
  createdAt: string;
  completedAt: string | null;
  variables: Variables;
}

export interface TaskForm {
  taskId: number;
  formKey: string;
  formId: string | null;
  schema: Record<string, unknown>;
}

/** A secret's name and who set it when; its value never comes back from the server. */
export interface Secret {
  name: string;
  keyId: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface DeploymentResult {
  processes: { processId: string; version: number; created: boolean }[];
}

export interface StreamEvent {
  seq: number;
  event: string;
  processInstanceId: string;
  elementId: string | null;
}

/** An RFC 9457 problem the server answered with; `errors` may name fields or element ids. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = '';

function csrf(): string {
  if (csrfToken) return csrfToken;
  const match = document.cookie.match(/(?:^|;\s*)stead_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : '';
}

/** Called with every 401, so the app can show the sign-in page. */
export let onUnauthenticated: () => void = () => {};
export function setOnUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (UNSAFE.has(method)) headers['X-CSRF-Token'] = csrf();
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    body: payload,
    credentials: 'same-origin',
  });
  if (response.status === 401 && path !== '/session') onUnauthenticated();
  if (!response.ok) {
    let detail = response.statusText;
    let errors: { field: string; reason: string }[] = [];
    try {
      const problem = await response.json();
      detail = problem.detail ?? detail;
      errors = problem.errors ?? [];
    } catch {
      // not a problem document; keep the status text
    }
    throw new ApiError(response.status, detail, errors);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? response.json() : response.text()) as Promise<T>;
}

function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  async signIn(username: string, password: string): Promise<Me> {
    const info = await request<Me & { csrfToken: string }>('POST', '/session', {
      username,
      password,
    });
    csrfToken = info.csrfToken;
    return info;
  },
  signOut: () => request<void>('DELETE', '/session'),
  me: () => request<Me>('GET', '/me'),

  deploy(files: { name: string; content: string }[]): Promise<DeploymentResult> {
    const form = new FormData();
    for (const file of files) form.append('files', new Blob([file.content]), file.name);
    return request('POST', '/deployments', form);
  },
  form: (formId: string) =>
    request<Record<string, unknown>>('GET', `/forms/${encodeURIComponent(formId)}`),
  definitions: () => request<ProcessDefinition[]>('GET', '/process-definitions'),
  definitionXml: (processId: string, version: number) =>
    request<string>(
      'GET',
      `/process-definitions/${encodeURIComponent(processId)}/versions/${version}/xml`,
    ),

  startInstance: (processId: string, variables: Variables, businessKey?: string) =>
    request<Instance>('POST', '/process-instances', {
      processId,
      variables,
      businessKey: businessKey || null,
    }),
  instances: (filters: Record<string, string | number | boolean | null | undefined>) =>
    request<InstancePage>('GET', `/process-instances${query(filters)}`),
  instance: (id: string) => request<Instance>('GET', `/process-instances/${id}`),
  /** Active instances with their waiting tokens and incidents, which the list leaves out:
   * each one is read in full (at most `max`, a few at a time). */
  async activeInstancesInFull(processId?: string, max = 200): Promise<Instance[]> {
    const page = await api.instances({ processId, state: 'active', limit: max });
    const full: Instance[] = [];
    for (let start = 0; start < page.items.length; start += 6) {
      const batch = page.items.slice(start, start + 6);
      full.push(...(await Promise.all(batch.map((item) => api.instance(item.id)))));
    }
    return full;
  },
  history: (id: string) => request<HistoryEntry[]>('GET', `/process-instances/${id}/history`),
  setVariables: (id: string, variables: Variables) =>
    request<Instance>('POST', `/process-instances/${id}/variables`, { variables }),
  cancel: (id: string) => request<Instance>('POST', `/process-instances/${id}/cancellation`),
  publishMessage: (name: string, correlationKey: string, variables: Variables) =>
    request<unknown>('POST', '/messages', { name, correlationKey, variables }),

  tasks: (filters: Record<string, string | undefined> = {}) =>
    request<UserTask[]>('GET', `/user-tasks${query(filters)}`),
  taskForm: (id: number) => request<TaskForm>('GET', `/user-tasks/${id}/form`),
  claim: (id: number) => request<UserTask>('POST', `/user-tasks/${id}/claim`),
  unclaim: (id: number) => request<UserTask>('POST', `/user-tasks/${id}/unclaim`),
  completeTask: (id: number, variables: Variables) =>
    request<UserTask>('POST', `/user-tasks/${id}/completion`, { variables }),

  incidents: (instanceId?: string) =>
    request<Incident[]>('GET', `/incidents${query({ processInstanceId: instanceId })}`),
  resolveIncident: (id: number) => request<Incident>('POST', `/incidents/${id}/resolution`),

  /** Camunda 8 element templates, one per connector version. */
  connectorTemplates: () => request<Record<string, unknown>[]>('GET', '/connectors/templates'),

  secrets: () => request<Secret[]>('GET', '/secrets'),
  setSecret: (name: string, value: string) =>
    request<Secret>('PUT', `/secrets/${encodeURIComponent(name)}`, { value }),
  deleteSecret: (name: string) => request<void>('DELETE', `/secrets/${encodeURIComponent(name)}`),
};

// Names of the stream's events (they are named after what happened).
const EVENT_NAMES = [
  'element.activated',
  'element.completed',
  'element.terminated',
  'task.created',
  'task.assigned',
  'task.unassigned',
  'task.completed',
  'job.created',
  'job.completed',
  'job.failed',
  'incident.raised',
  'incident.resolved',
  'variables.changed',
  'message.correlated',
  'timer.fired',
  'error.caught',
  'error.uncaught',
];

interface Listener {
  onEvent: (event: StreamEvent) => void;
  onClosed: () => void;
}

// One stream for the whole page, shared by every subscriber: browsers allow only a few
// connections per server, and each open stream holds one.
const listeners = new Set<Listener>();
let stream: EventSource | null = null;

function openStream(): EventSource {
  const source = new EventSource('/api/events');
  const handle = (message: MessageEvent) => {
    let event: StreamEvent;
    try {
      event = JSON.parse(message.data) as StreamEvent;
    } catch {
      return; // a frame that is not JSON is not an event
    }
    for (const listener of listeners) listener.onEvent(event);
  };
  for (const name of ['message', ...EVENT_NAMES]) source.addEventListener(name, handle);
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
    stream = null;
    for (const listener of listeners) listener.onClosed();
  };
  return source;
}

/** Calls `onEvent` for every instance, task and incident change until the returned function
 * is called. The browser reconnects by itself, resuming after the last event seen; `onClosed`
 * is called when the server refuses the stream for good (e.g. a role that may not read it). */
export function subscribe(
  onEvent: (event: StreamEvent) => void,
  onClosed: () => void = () => {},
): () => void {
  const listener = { onEvent, onClosed };
  listeners.add(listener);
  stream ??= openStream();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && stream) {
      stream.close();
      stream = null;
    }
  };
}
