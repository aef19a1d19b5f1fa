// Packages that ship no type declarations.
declare module 'bpmnlint/rules/*' {
  const rule: unknown;
  export default rule;
}
declare module 'bpmn-js-bpmnlint' {
  const module: unknown;
  export default module;
}
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: unknown;
  export const BpmnPropertiesProviderModule: unknown;
  export const ZeebePropertiesProviderModule: unknown;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: unknown;
  export default module;
}
declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
declare module 'bpmn-js-element-templates' {
  export const CloudElementTemplatesPropertiesProviderModule: unknown;
}
declare module '@bpmn-io/element-template-chooser' {
  const module: unknown;
  export default module;
}
