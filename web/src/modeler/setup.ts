// The BPMN modeler as Camunda 8 models are drawn: Zeebe properties (job types, FEEL fields
// through the FEEL editor, forms, timers, retries), Zeebe modelling behaviours, element
// templates (connectors) with their chooser, and live lint.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import ElementTemplateChooserModule from '@bpmn-io/element-template-chooser';
import lintModule from 'bpmn-js-bpmnlint';
import zeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { connectorMenuModule } from './connectorMenu';
import { lintConfig } from './lint';
import { wordingModule } from './wording';

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import '@bpmn-io/element-template-chooser/dist/element-template-chooser.css';

export function createModeler(canvas: HTMLElement, panel: HTMLElement): BpmnModeler {
  return new BpmnModeler({
    container: canvas,
    propertiesPanel: { parent: panel },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      CloudElementTemplatesPropertiesProviderModule,
      ElementTemplateChooserModule,
      connectorMenuModule,
      zeebeBehaviorsModule,
      lintModule,
      wordingModule,
    ],
    moddleExtensions: { zeebe: zeebeModdle },
    linting: { bpmnlint: lintConfig, active: true },
  } as ConstructorParameters<typeof BpmnModeler>[0]);
}

/** A new process: one start event, ready to be drawn on. */
export function emptyDiagram(processId: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0"
  id="Definitions_${processId}" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="${processId}" name="${escapeXml(name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Start" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="182" y="162" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The id and name of the diagram's (first) process. */
export function processOf(modeler: BpmnModeler): { id: string; name: string } {
  const root = modeler
    .get<{ getRootElement(): { businessObject: ModdleElement } }>('canvas')
    .getRootElement().businessObject;
  const process = root.$type === 'bpmn:Collaboration' ? root.participants?.[0]?.processRef : root;
  return { id: String(process?.id ?? 'process'), name: String(process?.name ?? '') };
}

export interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  body?: string;
  formKey?: string;
  formId?: string;
  values?: ModdleElement[];
  extensionElements?: ModdleElement;
  participants?: { processRef: ModdleElement }[];
  [key: string]: unknown;
}

export interface Shape {
  id: string;
  type: string;
  businessObject: ModdleElement;
}

interface Modeling {
  updateModdleProperties(element: Shape, target: ModdleElement, props: object): void;
}

interface Moddle {
  create(type: string, props?: object): ModdleElement;
}

/** The id of the deployed form a user task links to (zeebe:formDefinition formId), if any. */
export function linkedFormId(task: Shape): string | undefined {
  return extension(task.businessObject, 'zeebe:FormDefinition')?.formId || undefined;
}

/** Links the user task to the form `formId`, deployed beside the process as a .form file. */
export function setLinkedForm(modeler: BpmnModeler, task: Shape, formId: string): void {
  const modeling = modeler.get<Modeling>('modeling');
  const moddle = modeler.get<Moddle>('moddle');
  const extensions = ensureExtensions(modeling, moddle, task, task.businessObject);
  const definition = extension(task.businessObject, 'zeebe:FormDefinition');
  if (definition) {
    modeling.updateModdleProperties(task, definition, { formId, formKey: undefined });
  } else {
    const created = moddle.create('zeebe:FormDefinition', { formId });
    modeling.updateModdleProperties(task, extensions, {
      values: [...(extensions.values ?? []), created],
    });
  }
}

/** The form ids the diagram's user tasks link to. */
export function linkedFormIds(modeler: BpmnModeler): string[] {
  const registry = modeler.get<{ filter(fn: (e: Shape) => boolean): Shape[] }>('elementRegistry');
  const tasks = registry.filter((element) => element.type === 'bpmn:UserTask');
  return [...new Set(tasks.map(linkedFormId).filter((id): id is string => Boolean(id)))];
}

function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  return element.extensionElements?.values?.find((value) => value.$type === type);
}

function ensureExtensions(
  modeling: Modeling,
  moddle: Moddle,
  shape: Shape,
  element: ModdleElement,
): ModdleElement {
  if (element.extensionElements) return element.extensionElements;
  const created = moddle.create('bpmn:ExtensionElements', { values: [] });
  modeling.updateModdleProperties(shape, element, { extensionElements: created });
  return created;
}

/** Element templates as the modeler's template loader and chooser use them. */
export type ElementTemplate = Record<string, unknown>;

/** Makes `templates` (Camunda 8 element templates: Stead's connectors) available in the
 * properties panel's template section and in the chooser. */
export function setTemplates(modeler: BpmnModeler, templates: ElementTemplate[]): void {
  modeler
    .get<{ setTemplates(templates: ElementTemplate[]): void }>('elementTemplatesLoader')
    .setTemplates(templates);
}

/** Templates that apply to tasks (bpmn:Task and its kinds) can be chosen for `shape`. */
export function acceptsConnector(shape: Shape | null): boolean {
  return Boolean(shape && /^bpmn:(\w+)?Task$/.test(shape.type));
}

/** Opens the template chooser for `shape`; the chosen template is applied by the chooser
 * (the same path as the properties panel's "Select" button). */
export function chooseConnector(modeler: BpmnModeler, shape: Shape): void {
  modeler
    .get<{ fire(event: string, payload: object): void }>('eventBus')
    .fire('elementTemplates.select', { element: shape });
}
