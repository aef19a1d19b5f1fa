"""Tasks and call activities read their zeebe: configuration; business rule tasks and
unknown extensions are refused."""

from __future__ import annotations

import pytest
from bpmn_documents import MESSAGE, MESSAGE_WITHOUT_KEY, around, has_problem, parse_one, problems_of

from stead.model import ElementType, RetryPolicy


def task(tag: str, extensions: str = "", attrs: str = "", body: str = "") -> str:
    ext = f"<bpmn:extensionElements>{extensions}</bpmn:extensionElements>" if extensions else ""
    return around(f'<bpmn:{tag} id="t" {attrs}>{ext}{body}</bpmn:{tag}>', "t")


def test_service_task_with_job_headers_mappings_and_retry_policy() -> None:
    body = task(
        "serviceTask",
        '<zeebe:taskDefinition type="=&quot;charge-&quot; + region" retries="5" />'
        '<zeebe:taskHeaders><zeebe:header key="a" value="1" /><zeebe:header key="b" value="2" />'
        "</zeebe:taskHeaders>"
        '<zeebe:ioMapping><zeebe:input source="=order.total" target="amount" />'
        '<zeebe:input target="note" /><zeebe:output source="=receipt" target="order.receipt" />'
        "</zeebe:ioMapping>"
        '<stead:retryPolicy initialInterval="PT2S" backoffRate="3" maxInterval="PT1H" '
        'jitter="false" />',
    )
    element = parse_one(body).element("t")
    assert element.type is ElementType.SERVICE_TASK
    assert element.task is not None
    assert element.task.job_type.source == '="charge-" + region'
    assert not element.task.job_type.is_static
    assert element.task.retries.source == "5"
    assert element.headers == (("a", "1"), ("b", "2"))
    assert [(m.source.source, m.target) for m in element.input_mappings] == [
        ("=order.total", "amount"),
        ("=null", "note"),
    ]
    assert element.output_mappings[0].target == "order.receipt"
    assert element.retry_policy == RetryPolicy(2.0, 3.0, 3600.0, False)


def test_retries_default_to_three_and_send_task_is_a_job() -> None:
    element = parse_one(task("sendTask", '<zeebe:taskDefinition type="mail" />')).element("t")
    assert element.task is not None
    assert element.task.retries.source == "3"
    assert element.retry_policy is None


@pytest.mark.parametrize("tag", ["serviceTask", "sendTask"])
def test_job_type_is_required(tag: str) -> None:
    assert has_problem(problems_of(task(tag)), "t", "needs a job type")
    found = problems_of(task(tag, '<zeebe:taskDefinition type="" />'))
    assert has_problem(found, "t", "job type is missing")


@pytest.mark.parametrize(
    ("policy", "text"),
    [
        ('initialInterval="soon"', "not an ISO 8601 duration"),
        ('initialInterval="P1M"', "days, hours, minutes"),
        ('backoffRate="0.5"', "backoffRate must be a number from 1 to 100"),
        ('jitter="maybe"', "jitter must be true or false"),
        ('initialInterval="PT1H" maxInterval="PT1M"', "shorter than initialInterval"),
    ],
)
def test_invalid_retry_policy_is_refused(policy: str, text: str) -> None:
    body = task("serviceTask", f'<zeebe:taskDefinition type="x" /><stead:retryPolicy {policy} />')
    assert has_problem(problems_of(body), "t", text)


def test_user_task_with_assignment_form_and_schedule() -> None:
    body = task(
        "userTask",
        "<zeebe:userTask />"
        '<zeebe:assignmentDefinition assignee="=initiator" candidateGroups="sales, managers" '
        'candidateUsers="=reviewers" />'
        '<zeebe:formDefinition formKey="review-form" />'
        '<zeebe:taskSchedule dueDate="2030-05-01T12:00:00Z" followUpDate="=now()" />'
        '<zeebe:priorityDefinition priority="80" />',
    )
    element = parse_one(body).element("t")
    user = element.user_task
    assert user is not None
    assert user.assignee is not None
    assert user.assignee.source == "=initiator"
    assert user.candidate_groups is not None
    assert user.candidate_groups.source == "sales, managers"
    assert user.candidate_users is not None
    assert not user.candidate_users.is_static
    assert user.form_key == "review-form"
    assert user.due_date is not None
    assert user.due_date.source == "2030-05-01T12:00:00Z"
    assert user.follow_up_date is not None
    assert user.priority is not None
    assert user.priority.source == "80"


def test_user_task_form_id_and_plain_user_task() -> None:
    linked = parse_one(task("userTask", '<zeebe:formDefinition formId="approval" />'))
    assert linked.element("t").user_task is not None
    assert linked.element("t").user_task.form_id == "approval"  # type: ignore[union-attr]
    plain = parse_one(task("userTask")).element("t")
    assert plain.user_task is not None
    assert plain.user_task.assignee is None


def test_user_task_due_date_must_parse() -> None:
    body = task("userTask", '<zeebe:taskSchedule dueDate="next week" />')
    assert has_problem(problems_of(body), "t", "zeebe:taskSchedule dueDate")


def test_script_task() -> None:
    body = task("scriptTask", '<zeebe:script expression="=a + b" resultVariable="sum" />')
    script = parse_one(body).element("t").script
    assert script is not None
    assert (script.expression.source, script.result_variable) == ("=a + b", "sum")


@pytest.mark.parametrize(
    ("extensions", "text"),
    [
        ("", "needs a FEEL expression and result variable"),
        ('<zeebe:script expression="a + b" resultVariable="sum" />', "must be a FEEL expression"),
        ('<zeebe:script expression="=a +" resultVariable="sum" />', "is not valid FEEL"),
        ('<zeebe:script expression="=a" />', "resultVariable is missing"),
        ('<zeebe:taskDefinition type="run-script" />', "run by a job worker"),
    ],
)
def test_script_task_problems(extensions: str, text: str) -> None:
    assert has_problem(problems_of(task("scriptTask", extensions)), "t", text)


def test_receive_task_resolves_message_and_correlation_key() -> None:
    element = parse_one(task("receiveTask", attrs='messageRef="m"'), extra=MESSAGE).element("t")
    assert element.message is not None
    assert element.message.name.source == "paid"
    assert element.message.correlation_key is not None


def test_receive_task_needs_a_correlation_key() -> None:
    found = problems_of(task("receiveTask", attrs='messageRef="m"'), extra=MESSAGE_WITHOUT_KEY)
    assert has_problem(found, "t", "needs a correlation key")


@pytest.mark.parametrize("tag", ["manualTask", "task"])
def test_pass_through_tasks(tag: str) -> None:
    element = parse_one(task(tag)).element("t")
    assert element.type.value == tag
    assert element.task is None


def test_call_activity() -> None:
    body = task(
        "callActivity",
        '<zeebe:calledElement processId="=childProcess" propagateAllChildVariables="false" />',
    )
    called = parse_one(body).element("t").called_element
    assert called is not None
    assert called.process_id.source == "=childProcess"
    assert called.propagate_all_child_variables is False
    assert called.propagate_all_parent_variables is True


@pytest.mark.parametrize(
    ("extensions", "text"),
    [
        ("", "needs the called process id"),
        ('<zeebe:calledElement processId="" />', "called process id is missing"),
        ('<zeebe:calledElement processId="x" bindingType="deployment" />', "bindingType"),
    ],
)
def test_call_activity_problems(extensions: str, text: str) -> None:
    assert has_problem(problems_of(task("callActivity", extensions)), "t", text)


def test_business_rule_task_is_refused_clearly() -> None:
    body = task("businessRuleTask", '<zeebe:calledDecision decisionId="d" resultVariable="r" />')
    found = problems_of(body)
    assert has_problem(found, "t", "decision tables (DMN)")
    assert has_problem(found, "t", "not supported yet")


@pytest.mark.parametrize(
    ("extensions", "text"),
    [
        (
            '<zeebe:executionListeners><zeebe:executionListener eventType="start" type="x" />'
            "</zeebe:executionListeners>",
            "zeebe:executionListeners is not supported",
        ),
        (
            '<zeebe:script expression="=1" resultVariable="r" />',
            "zeebe:script is not allowed on a service task",
        ),
        ("<camunda:inputOutput />", "Camunda 7 extension"),
        ("<stead:slaPolicy />", "stead:slaPolicy is not supported"),
    ],
)
def test_extensions_that_change_behaviour_are_refused(extensions: str, text: str) -> None:
    body = task("serviceTask", f'<zeebe:taskDefinition type="x" />{extensions}')
    assert has_problem(problems_of(body), "t", text)


def test_metadata_extensions_are_accepted() -> None:
    body = task(
        "serviceTask",
        '<zeebe:taskDefinition type="x" /><zeebe:properties><zeebe:property name="owner" '
        'value="billing" /></zeebe:properties><tool:hint xmlns:tool="http://example.com/tool" />',
    )
    assert parse_one(body).element("t").task is not None


def test_compensation_activity_is_refused() -> None:
    body = task(
        "serviceTask", '<zeebe:taskDefinition type="x" />', attrs='isForCompensation="true"'
    )
    assert has_problem(problems_of(body), "t", "compensation activities are not supported")


def test_embedded_form_key_must_name_an_embedded_form() -> None:
    body = task("userTask", '<zeebe:formDefinition formKey="camunda-forms:bpmn:missing" />')
    assert has_problem(problems_of(body), "t", "names no embedded form")
