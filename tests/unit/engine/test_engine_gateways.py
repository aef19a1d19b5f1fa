"""Gateways: exclusive, parallel, inclusive (fork and join) and event-based."""

from __future__ import annotations

from engine_harness import Driver, bpmn, chain, flow, message, service_task

from stead.engine.commands import SetVariables
from stead.engine.effects import CancelTimer, CloseSubscription


def _exclusive(default: bool) -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + (
            '<bpmn:exclusiveGateway id="gw" default="to_c"/>'
            if default
            else '<bpmn:exclusiveGateway id="gw"/>'
        )
        + '<bpmn:endEvent id="a"/><bpmn:endEvent id="b"/><bpmn:endEvent id="c"/>'
        + flow("f0", "start", "gw")
        + flow("to_a", "gw", "a", "=amount &gt; 100")
        + flow("to_b", "gw", "b", "=amount &gt; 10")
        + (flow("to_c", "gw", "c") if default else "")
    )
    return Driver(definition, {"amount": 50})


def test_exclusive_gateway_takes_the_first_true_condition() -> None:
    driver = _exclusive(default=True)
    assert driver.path()[-2:] == ["b", "p"]
    [chosen] = [e for e in driver.history("element.activated") if e.element_id == "gw"]
    assert chosen.data == {"taken": ["to_b"]}


def test_exclusive_gateway_falls_back_to_the_default_flow() -> None:
    driver = _exclusive(default=True)
    definition = driver.definition
    driver = Driver(definition, {"amount": 5})
    assert driver.path()[-2:] == ["c", "p"]


def test_exclusive_gateway_without_match_raises_condition_incident_and_retries() -> None:
    driver = Driver(_exclusive(default=False).definition, {"amount": 5})
    incident = driver.incident()
    assert incident.kind == "condition"
    assert incident.element_id == "gw"
    assert "Gateway 'gw'" in incident.message
    assert driver.waiting == ["gw"]
    driver.apply(SetVariables({"amount": 500}))
    driver.resolve()
    assert driver.status == "completed"
    assert "a" in driver.path()


def test_non_boolean_condition_raises_incident() -> None:
    driver = Driver(_exclusive(default=True).definition, {"amount": "lots"})
    incident = driver.incident()
    assert incident.kind in {"condition", "expression"}
    assert "to_a" in incident.message or "amount" in incident.message


def _parallel() -> str:
    return (
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + service_task("a")
        + service_task("b")
        + service_task("c")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>'
        + chain("start", "fork", "a", "join", "end")
        + chain("fork", "b", "join", prefix="g")
        + chain("fork", "c", "join", prefix="h")
    )


def test_parallel_gateway_forks_and_joins_all_branches() -> None:
    driver = Driver(bpmn(_parallel()))
    assert driver.waiting == ["a", "b", "c"]
    driver.complete_job("a")
    driver.complete_job("c")
    assert driver.waiting == ["b"]
    assert "join" not in driver.path()
    driver.complete_job("b")
    assert driver.status == "completed"
    assert driver.path().count("join") == 1
    assert driver.path().count("end") == 1


def _inclusive() -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:inclusiveGateway id="fork" default="to_c"/>'
        + service_task("a")
        + service_task("b")
        + service_task("c")
        + service_task("pre_b")
        + '<bpmn:inclusiveGateway id="join"/><bpmn:endEvent id="end"/>'
        + flow("f0", "start", "fork")
        + flow("to_a", "fork", "a", "=wantA")
        + flow("to_b", "fork", "pre_b", "=wantB")
        + flow("to_c", "fork", "c")
        + chain("pre_b", "b", "join")
        + flow("a_join", "a", "join")
        + flow("c_join", "c", "join")
        + flow("j_end", "join", "end")
    )
    return Driver(definition, {"wantA": True, "wantB": True})


def test_inclusive_gateway_forks_on_every_true_condition() -> None:
    driver = _inclusive()
    assert driver.waiting == ["a", "pre_b"]


def test_inclusive_join_waits_only_for_tokens_that_can_still_arrive() -> None:
    driver = _inclusive()
    driver.complete_job("a")
    # The token before b can still reach the join: it waits.
    assert driver.waiting == ["pre_b"]
    driver.complete_job("pre_b")
    assert driver.waiting == ["b"]
    driver.complete_job("b")
    assert driver.status == "completed"
    assert driver.path().count("join") == 1


def test_inclusive_join_fires_at_once_for_a_single_branch() -> None:
    driver = Driver(_inclusive().definition, {"wantA": False, "wantB": False})
    assert driver.waiting == ["c"]
    driver.complete_job("c")
    assert driver.status == "completed"


def test_event_based_gateway_takes_the_first_event_and_closes_the_others() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="race"/>'
        '<bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="ok"/><bpmn:endEvent id="late"/>'
        + chain("start", "race", "paid", "ok")
        + chain("race", "timeout", "late", prefix="g"),
        extra=message("m", "payment", "=orderId"),
    )
    driver = Driver(definition, {"orderId": 42})
    assert driver.waiting == ["race"]
    assert driver.state.waiting[0].kind == "event"
    subscription = driver.subscription("paid")
    assert subscription.message_name == "payment"
    assert subscription.correlation_key == "42"
    timer = driver.timer("timeout")
    driver.correlate("paid", {"paidAt": "now"})
    assert driver.status == "completed"
    assert CancelTimer(timer.timer_key) in driver.effects
    assert driver.variables["paidAt"] == "now"
    assert "late" not in driver.path()

    other = Driver(definition, {"orderId": 42})
    sub_key = other.subscription("paid").subscription_key
    other.fire("timeout")
    assert other.path()[-2:] == ["late", "p"]
    assert CloseSubscription(sub_key) in other.effects


def test_a_loop_of_a_thousand_rounds_runs_in_one_step() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="merge"/>'
        '<bpmn:scriptTask id="inc"><bpmn:extensionElements>'
        '<zeebe:script expression="=i + 1" resultVariable="i"/>'
        "</bpmn:extensionElements></bpmn:scriptTask>"
        '<bpmn:exclusiveGateway id="more" default="out"/><bpmn:endEvent id="end"/>'
        + chain("start", "merge", "inc", "more")
        + flow("back", "more", "merge", "=i &lt; 1000")
        + flow("out", "more", "end")
    )
    driver = Driver(definition, {"i": 0})
    assert driver.status == "completed"
    assert driver.variables == {"i": 1000}
    assert driver.path().count("inc") == 1000
