// Connectors where people look for them when they change what a task does: the "Change element"
// (wrench) menu of a task lists every connector under its own heading.
import type { ElementTemplate, Shape } from './setup';

interface ElementTemplates {
  getLatest(element: Shape): ElementTemplate[];
  applyTemplate(element: Shape, template: ElementTemplate): Shape;
}

interface PopupMenu {
  registerProvider(id: string, priority: number, provider: object): void;
}

type Translate = (text: string) => string;

class ConnectorReplaceEntries {
  static $inject = ['popupMenu', 'elementTemplates', 'translate'];

  constructor(
    popupMenu: PopupMenu,
    private readonly elementTemplates: ElementTemplates,
    private readonly translate: Translate,
  ) {
    // Below the default priority: the menu's own entries come first.
    popupMenu.registerProvider('bpmn-replace', 500, this);
  }

  getPopupMenuEntries(element: Shape): Record<string, object> {
    const entries: Record<string, object> = {};
    const business = element.businessObject as unknown as { get?(name: string): unknown };
    if (!business?.get) return entries; // not a BPMN element (e.g. a label)
    const applied = business.get('zeebe:modelerTemplate');
    for (const template of this.elementTemplates.getLatest(element)) {
      if (template.id === applied) continue;
      entries[`connector-${String(template.id)}`] = {
        label: String(template.name ?? template.id),
        description: template.description,
        className: 'bpmn-icon-service',
        group: { id: 'connectors', name: this.translate('Connectors') },
        search: ['connector'],
        action: () => this.elementTemplates.applyTemplate(element, template),
      };
    }
    return entries;
  }
}

export const connectorMenuModule = {
  __init__: ['connectorReplaceEntries'],
  connectorReplaceEntries: ['type', ConnectorReplaceEntries],
};
