"""Process-wide rules: start events, flow ends, references, unsupported BPMN constructs."""

from __future__ import annotations

from bpmn_documents import flows, has_problem, job, problems_of


def test_process_without_start_event_is_refused() -> None:
    body = f'<bpmn:serviceTask id="t">{job()}</bpmn:serviceTask><bpmn:endEvent id="e" />'
    assert has_problem(problems_of(body + flows("t", "e")), "p", "no start event")


def test_two_none_start_events_are_refused() -> None:
    body = '<bpmn:startEvent id="a" /><bpmn:startEvent id="b" /><bpmn:endEvent id="e" />'
    found = problems_of(body + flows("a", "e") + flows("b", "e"))
    assert has_problem(found, "p", "more than one none start event (a, b)")


def test_two_message_starts_for_one_message_are_refused() -> None:
    message = '<bpmn:message id="m" name="order" />'
    start = (
        '<bpmn:startEvent id="{}"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>'
    )
    found = problems_of(start.format("a") + start.format("b"), extra=message)
    assert has_problem(found, "p", "2 message start events wait for message 'order'")


def test_feel_message_name_on_a_start_event_is_refused() -> None:
    message = '<bpmn:message id="m" name="=kind" />'
    start = (
        '<bpmn:startEvent id="a"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>'
    )
    assert has_problem(problems_of(start, extra=message), "a", "static message name")


def test_start_with_incoming_and_end_with_outgoing_are_refused() -> None:
    body = '<bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:task id="t" />'
    found = problems_of(body + flows("s", "e", "t", "s"))
    assert has_problem(found, "s", "cannot have incoming")
    assert has_problem(found, "e", "cannot have outgoing")


def test_flows_to_unknown_elements_are_refused() -> None:
    body = '<bpmn:startEvent id="s" />' + flows("ghost", "s") + flows("s", "nowhere")
    found = problems_of(body)
    assert has_problem(found, "ghost_s", "source 'ghost' does not exist")
    assert has_problem(found, "s_nowhere", "target 'nowhere' does not exist")


def test_flow_without_references_is_refused() -> None:
    body = '<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" />'
    assert has_problem(problems_of(body), "f", "needs both sourceRef and targetRef")


def test_unknown_bpmn_elements_are_refused_not_skipped() -> None:
    body = '<bpmn:startEvent id="s" /><bpmn:choreographyTask id="c" /><bpmn:futureThing id="f" />'
    found = problems_of(body)
    assert has_problem(found, "c", "choreographies are not executable")
    assert has_problem(found, "f", "bpmn:futureThing is not supported")


def test_documentation_artifacts_are_accepted() -> None:
    body = (
        "<bpmn:documentation>Why this exists</bpmn:documentation>"
        '<bpmn:laneSet id="ls"><bpmn:lane id="l1"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>'
        "</bpmn:lane></bpmn:laneSet>"
        '<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />'
        '<bpmn:textAnnotation id="note"><bpmn:text>hello</bpmn:text></bpmn:textAnnotation>'
        '<bpmn:association id="as" sourceRef="s" targetRef="note" />'
        '<bpmn:dataObjectReference id="dor" dataObjectRef="do" /><bpmn:dataObject id="do" />'
        + flows("s", "e")
    )
    # parse_one would fail loudly if any of these were refused
    from bpmn_documents import parse_one

    assert set(parse_one(body).elements) == {"s", "e"}


def test_process_level_extensions() -> None:
    from bpmn_documents import parse_one

    body = (
        '<bpmn:extensionElements><zeebe:versionTag value="2.1" />'
        '<zeebe:userTaskForm id="f1">{"components": []}</zeebe:userTaskForm>'
        "</bpmn:extensionElements>"
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="start" />'
        '</bpmn:extensionElements></bpmn:startEvent><bpmn:endEvent id="e" />' + flows("s", "e")
    )
    definition = parse_one(body)
    assert definition.extras == {
        "versionTag": "2.1",
        "form:f1": '{"components": []}',
        "startForm": "start",
    }


def test_process_execution_listeners_are_refused() -> None:
    body = (
        "<bpmn:extensionElements><zeebe:executionListeners /></bpmn:extensionElements>"
        '<bpmn:startEvent id="s" />'
    )
    assert has_problem(problems_of(body), "p", "zeebe:executionListeners is not supported")


def test_input_mappings_on_a_start_event_are_refused() -> None:
    body = (
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:ioMapping>'
        '<zeebe:input source="=1" target="x" /></zeebe:ioMapping></bpmn:extensionElements>'
        "</bpmn:startEvent>"
    )
    assert has_problem(problems_of(body), "s", "input mappings are not allowed")


def test_mapping_target_must_be_a_variable_name() -> None:
    body = (
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:ioMapping>'
        '<zeebe:output source="=1" target="not a name" /></zeebe:ioMapping>'
        "</bpmn:extensionElements></bpmn:startEvent>"
    )
    assert has_problem(problems_of(body), "s", "'not a name' is not a variable name")


def test_a_refused_element_is_reported_once_not_through_its_flows() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:complexGateway id="c" /><bpmn:endEvent id="e" />'
        + flows("s", "c", "e")
    )
    assert problems_of(body) == [("c", "complex gateways are not supported by Stead")]


def test_bpmn_children_that_change_behaviour_are_refused() -> None:
    body = (
        '<bpmn:startEvent id="s" />'
        '<bpmn:scriptTask id="js" scriptFormat="javascript"><bpmn:script>x = 1</bpmn:script>'
        "</bpmn:scriptTask>"
        '<bpmn:userTask id="u"><bpmn:potentialOwner><bpmn:resourceAssignmentExpression>'
        "<bpmn:formalExpression>group(sales)</bpmn:formalExpression>"
        "</bpmn:resourceAssignmentExpression></bpmn:potentialOwner></bpmn:userTask>"
        '<bpmn:endEvent id="e" />' + flows("s", "js", "u", "e")
    )
    found = problems_of(body)
    assert has_problem(found, "js", "inline bpmn:script is not supported")
    assert has_problem(found, "u", "use zeebe:assignmentDefinition")
