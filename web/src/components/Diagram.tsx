// A read-only BPMN diagram with markers (completed path, incidents) and badges on elements.
import { useEffect, useRef } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export interface Badge {
  elementId: string;
  text: string;
  title?: string;
  kind: 'waiting' | 'incident';
}

interface Props {
  xml: string | undefined;
  markers?: Record<string, string>; // element id -> CSS class
  badges?: Badge[];
}

interface Canvas {
  zoom(level: string): void;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
}

interface Overlays {
  add(id: string, type: string, overlay: { position: object; html: HTMLElement }): void;
  remove(filter: { type: string }): void;
}

interface Connection {
  id: string;
  source?: { id: string };
  target?: { id: string };
  waypoints?: unknown;
}

interface ElementRegistry {
  get(id: string): unknown;
  filter(fn: (element: Connection) => boolean): Connection[];
}

/** Sequence flows leave no trace of their own: a flow counts as taken when its source
 * completed and its target was reached (completed, waiting or failed). */
function withTakenFlows(registry: ElementRegistry, markers: Record<string, string>) {
  const all = { ...markers };
  for (const flow of registry.filter((element) => Boolean(element.waypoints))) {
    const source = flow.source && markers[flow.source.id];
    const target = flow.target && markers[flow.target.id];
    if (source === 'completed' && target) all[flow.id] = 'completed';
  }
  return all;
}

export function Diagram({ xml, markers = {}, badges = [] }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<NavigatedViewer>(null);
  const appliedRef = useRef<Record<string, string>>({});
  const loadedXml = useRef<string>('');
  const imported = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    const viewer = new NavigatedViewer({ container: containerRef.current! });
    viewerRef.current = viewer;
    return () => viewer.destroy();
  }, []);

  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer || !xml) return;
    let cancelled = false;
    const decorate = () => {
      if (cancelled) return;
      const canvas = viewer.get<Canvas>('canvas');
      const registry = viewer.get<ElementRegistry>('elementRegistry');
      for (const [id, marker] of Object.entries(appliedRef.current)) {
        if (registry.get(id)) canvas.removeMarker(id, marker);
      }
      const applied = withTakenFlows(registry, markers);
      for (const [id, marker] of Object.entries(applied)) {
        if (registry.get(id)) canvas.addMarker(id, marker);
      }
      appliedRef.current = applied;
      const overlays = viewer.get<Overlays>('overlays');
      overlays.remove({ type: 'badge' });
      for (const badge of badges) {
        if (!registry.get(badge.elementId)) continue;
        const html = document.createElement('div');
        html.className = `badge ${badge.kind}`;
        html.textContent = badge.text;
        html.title = badge.title ?? badge.text;
        const position =
          badge.kind === 'waiting' ? { top: -12, right: 12 } : { bottom: 8, left: -8 };
        overlays.add(badge.elementId, 'badge', { position, html });
      }
    };
    // Decorate once the diagram is imported, whichever of XML and decorations came first.
    if (loadedXml.current !== xml) {
      loadedXml.current = xml;
      appliedRef.current = {};
      imported.current = viewer.importXML(xml).then(
        () => viewer.get<Canvas>('canvas').zoom('fit-viewport'),
        () => undefined,
      );
    }
    void imported.current.then(decorate);
    return () => {
      cancelled = true;
    };
  }, [xml, markers, badges]);

  return <div className="diagram" ref={containerRef} />;
}
