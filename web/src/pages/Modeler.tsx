// Draw a process, edit its properties, see lint problems, save a draft, deploy it.
import { useEffect, useRef, useState } from 'react';
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { api, ApiError, type ProcessDefinition } from '../api';
import { FormEditorDialog } from '../components/FormEditorDialog';
import { loadDrafts, saveDraft, type Draft } from '../modeler/drafts';
import {
  createModeler,
  emptyDiagram,
  linkedFormId,
  linkedFormIds,
  processOf,
  setLinkedForm,
  type Shape,
} from '../modeler/setup';
import { go, href } from '../router';
import { ago } from '../time';

interface Overlays {
  add(id: string, type: string, overlay: { position: object; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

interface DeployProblem {
  field: string;
  reason: string;
}

function newProcessId(): string {
  return `Process_${Math.random().toString(36).slice(2, 9)}`;
}

export function ModelerPage({ processId }: { processId?: string }) {
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<BpmnModeler>(null);
  const [current, setCurrent] = useState({ id: '', name: '' });
  const [selectedTask, setSelectedTask] = useState<Shape | null>(null);
  // The form being edited (for the selected user task) and every form schema of this diagram.
  const [editingForm, setEditingForm] = useState<{ id: string; schema: object | null } | null>(
    null,
  );
  const formsRef = useRef<Record<string, object>>({});
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [problems, setProblems] = useState<DeployProblem[]>([]);
  const [drafts, setDrafts] = useState<Draft[]>(loadDrafts);
  const [deployed, setDeployed] = useState<ProcessDefinition[]>([]);

  useEffect(() => {
    const modeler = createModeler(canvasRef.current!, panelRef.current!);
    modelerRef.current = modeler;
    modeler.on('selection.changed', (event: { newSelection: Shape[] }) => {
      const [only] = event.newSelection;
      setSelectedTask(
        event.newSelection.length === 1 && only.type === 'bpmn:UserTask' ? only : null,
      );
    });
    modeler.on('commandStack.changed', () => setCurrent(processOf(modeler)));
    api.definitions().then(setDeployed, () => setDeployed([]));
    return () => modeler.destroy();
  }, []);

  useEffect(() => {
    void open(processId);
  }, [processId]);

  async function open(id?: string, version?: number) {
    const modeler = modelerRef.current;
    if (!modeler) return;
    clearProblems();
    setStatus(null);
    let xml: string;
    const draft = id ? loadDrafts().find((d) => d.processId === id) : undefined;
    formsRef.current = {};
    if (draft && version === undefined) {
      xml = draft.xml;
      formsRef.current = { ...draft.forms };
    } else if (id) {
      try {
        const definition = (await api.definitions()).find((d) => d.processId === id);
        xml = await api.definitionXml(id, version ?? definition?.latestVersion ?? 1);
      } catch (error) {
        setStatus({ kind: 'error', text: `Cannot open ${id}: ${String(error)}` });
        return;
      }
    } else {
      xml = emptyDiagram(newProcessId(), 'New process');
    }
    await modeler.importXML(xml);
    modeler.get<{ zoom(level: string): void }>('canvas').zoom('fit-viewport');
    setCurrent(processOf(modeler));
  }

  async function currentXml(): Promise<string> {
    const { xml } = await modelerRef.current!.saveXML({ format: true });
    return xml ?? '';
  }

  async function onSaveDraft() {
    const { id, name } = processOf(modelerRef.current!);
    saveDraft({
      processId: id,
      name,
      xml: await currentXml(),
      forms: formsRef.current,
      savedAt: new Date().toISOString(),
    });
    setDrafts(loadDrafts());
    setStatus({ kind: 'ok', text: `Draft of ${name || id} saved in this browser.` });
  }

  function clearProblems() {
    modelerRef.current?.get<Overlays>('overlays').remove({ type: 'deploy-problem' });
    setProblems([]);
  }

  function showProblems(found: DeployProblem[]) {
    const modeler = modelerRef.current!;
    const registry = modeler.get<{ get(id: string): Shape | undefined }>('elementRegistry');
    const overlays = modeler.get<Overlays>('overlays');
    for (const problem of found) {
      if (!registry.get(problem.field)) continue;
      const badge = document.createElement('div');
      badge.className = 'deploy-problem';
      badge.textContent = problem.reason;
      badge.title = problem.reason;
      overlays.add(problem.field, 'deploy-problem', {
        position: { bottom: -6, left: 0 },
        html: badge,
      });
    }
    setProblems(found);
  }

  async function onDeploy() {
    const { id, name } = processOf(modelerRef.current!);
    clearProblems();
    setStatus({ kind: 'ok', text: 'Deploying…' });
    try {
      // The forms the user tasks link to go with the process, when edited here.
      const forms = linkedFormIds(modelerRef.current!)
        .filter((formId) => formsRef.current[formId])
        .map((formId) => ({
          name: `${formId}.form`,
          content: JSON.stringify(formsRef.current[formId]),
        }));
      const bpmn = { name: `${id}.bpmn`, content: await currentXml() };
      const result = await api.deploy([bpmn, ...forms]);
      const mine = result.processes.find((p) => p.processId === id) ?? result.processes[0];
      const what = mine.created ? `version ${mine.version} deployed` : 'unchanged, nothing to do';
      setStatus({ kind: 'ok', text: `${name || id}: ${what}.` });
      api.definitions().then(setDeployed, () => undefined);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
      setStatus({ kind: 'error', text: `Deploy failed: ${problem.message}` });
      showProblems(problem.errors);
    }
  }

  async function onEditForm() {
    if (!selectedTask) return;
    const id =
      linkedFormId(selectedTask) ?? `${processOf(modelerRef.current!).id}-${selectedTask.id}`;
    let schema: object | null = formsRef.current[id] ?? null;
    if (!schema && linkedFormId(selectedTask)) {
      schema = await api.form(id).catch(() => null); // deployed earlier
    }
    setEditingForm({ id, schema });
  }

  function onOpen(value: string) {
    if (!value) return;
    const [kind, id, version] = value.split('|');
    if (kind === 'new') go('/modeler');
    else if (kind === 'draft' && id === processId) void open(id);
    else if (kind === 'draft') go(`/modeler/${encodeURIComponent(id)}`);
    else void open(id, Number(version));
  }

  return (
    <div className="modeler-page">
      <div className="toolbar">
        <strong className="process-title" title={current.id}>
          {current.name || current.id}
        </strong>
        <span className="muted">{current.id}</span>
        <select aria-label="Open" value="" onChange={(e) => onOpen(e.target.value)}>
          <option value="">Open…</option>
          <option value="new|">New process</option>
          {drafts.length > 0 && (
            <optgroup label="Drafts">
              {drafts.map((d) => (
                <option key={d.processId} value={`draft|${d.processId}`}>
                  {d.name || d.processId} (saved {ago(d.savedAt)})
                </option>
              ))}
            </optgroup>
          )}
          {deployed.map((d) => (
            <optgroup key={d.processId} label={`Deployed: ${d.name || d.processId}`}>
              {d.versions.map((v) => (
                <option key={v.version} value={`deployed|${d.processId}|${v.version}`}>
                  {d.processId} version {v.version}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="button" disabled={!selectedTask} onClick={onEditForm}>
          Edit form
        </button>
        <span className="spacer" />
        <button type="button" onClick={onSaveDraft}>
          Save draft
        </button>
        <button type="button" className="primary" onClick={onDeploy}>
          Deploy
        </button>
      </div>
      {status && (
        <div className={`status ${status.kind}`} role="status">
          {status.text}{' '}
          {status.kind === 'ok' && status.text.includes('deployed') && (
            <a href={href(`/processes/${encodeURIComponent(current.id)}`)}>Open in Processes</a>
          )}
          {problems.length > 0 && (
            <ul className="problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <code>{p.field}</code>: {p.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="modeler-body">
        <div className="canvas" ref={canvasRef} />
        <div className="properties" ref={panelRef} />
      </div>
      {editingForm && selectedTask && (
        <FormEditorDialog
          title={`Form of ${selectedTask.businessObject.name || selectedTask.id}`}
          formId={editingForm.id}
          schema={editingForm.schema}
          onCancel={() => setEditingForm(null)}
          onSave={(schema) => {
            formsRef.current[editingForm.id] = schema;
            setLinkedForm(modelerRef.current!, selectedTask, editingForm.id);
            setEditingForm(null);
            setStatus({
              kind: 'ok',
              text: `Form ${editingForm.id} saved; it is deployed with the process.`,
            });
          }}
        />
      )}
    </div>
  );
}
