// The live validation rules, bundled at build time: a selection of bpmnlint's own rules plus
// Stead's rule that a service task names the job type its workers ask for.
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import fakeJoin from 'bpmnlint/rules/fake-join';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';

interface ModdleNode {
  id: string;
  $type: string;
  $instanceOf?: (type: string) => boolean;
  extensionElements?: { values?: { $type: string; type?: string }[] };
}

interface Reporter {
  report(id: string, message: string): void;
}

/** A service task without a job type can never be worked on. */
function serviceTaskJobType() {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      if (node.$type !== 'bpmn:ServiceTask') return;
      const definition = node.extensionElements?.values?.find(
        (value) => value.$type === 'zeebe:TaskDefinition',
      );
      if (!definition?.type) {
        reporter.report(node.id, 'Set a job type (Task definition → Job type) for workers');
      }
    },
  };
}

const rules: Record<string, unknown> = {
  'bpmnlint/conditional-flows': conditionalFlows,
  'bpmnlint/end-event-required': endEventRequired,
  'bpmnlint/event-based-gateway': eventBasedGateway,
  'bpmnlint/fake-join': fakeJoin,
  'bpmnlint/label-required': labelRequired,
  'bpmnlint/link-event': linkEvent,
  'bpmnlint/no-complex-gateway': noComplexGateway,
  'bpmnlint/no-disconnected': noDisconnected,
  'bpmnlint/no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'bpmnlint/no-gateway-join-fork': noGatewayJoinFork,
  'bpmnlint/no-implicit-split': noImplicitSplit,
  'bpmnlint/single-blank-start-event': singleBlankStartEvent,
  'bpmnlint/single-event-definition': singleEventDefinition,
  'bpmnlint/start-event-required': startEventRequired,
  'bpmnlint/superfluous-gateway': superfluousGateway,
  'bpmnlint-plugin-stead/service-task-job-type': serviceTaskJobType,
};

const severities: Record<string, 'error' | 'warn'> = {
  'conditional-flows': 'error',
  'end-event-required': 'error',
  'event-based-gateway': 'error',
  'fake-join': 'warn',
  'label-required': 'warn',
  'link-event': 'error',
  'no-complex-gateway': 'error',
  'no-disconnected': 'error',
  'no-duplicate-sequence-flows': 'error',
  'no-gateway-join-fork': 'warn',
  'no-implicit-split': 'warn',
  'single-blank-start-event': 'error',
  'single-event-definition': 'error',
  'start-event-required': 'error',
  'superfluous-gateway': 'warn',
  'stead/service-task-job-type': 'error',
};

/** The `{ config, resolver }` pair bpmn-js-bpmnlint expects (what a packed config provides). */
export const lintConfig = {
  config: { rules: severities },
  resolver: {
    resolveRule(pkg: string, ruleName: string) {
      const rule = rules[`${pkg}/${ruleName}`];
      if (!rule) throw new Error(`unknown lint rule ${pkg}/${ruleName}`);
      return rule;
    },
    resolveConfig(pkg: string, configName: string) {
      throw new Error(`unknown lint config ${pkg}/${configName}`);
    },
  },
};
