"""The pure BPMN interpreter: ``(definition, state, command, now) -> (new state, effects)``.

``start_instance`` starts a process instance and ``apply_command`` applies one command
(``stead.engine.commands``) to an instance's state; each runs the instance until every token
waits and returns a :class:`Step` with the new :class:`InstanceState` and the effects
(``stead.engine.effects``) the runtime must carry out. No I/O, no clock, no randomness.
"""

from stead.engine.api import CommandRejected, Step, apply_command, job_variables, start_instance
from stead.engine.state import InstanceState, WaitingElement

__all__ = [
    "CommandRejected",
    "InstanceState",
    "Step",
    "WaitingElement",
    "apply_command",
    "job_variables",
    "start_instance",
]
