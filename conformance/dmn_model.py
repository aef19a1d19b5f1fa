"""Reading a DMN model file: item definitions, inputs, decisions, BKMs and decision services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from conformance.xml_names import child, child_text, children, href_id, local_name

__all__ = [
    "BoxedContext",
    "BoxedExpression",
    "BoxedFunction",
    "BoxedInvocation",
    "BoxedList",
    "BoxedRelation",
    "BusinessKnowledgeModel",
    "ContextEntry",
    "Decision",
    "DecisionService",
    "DmnModel",
    "FormalParameter",
    "InputData",
    "ItemDefinition",
    "LiteralExpression",
    "UnsupportedExpression",
    "read_model",
]


@dataclass(frozen=True)
class ItemDefinition:
    """A named type: a base typeRef, components, a function signature, or a collection of one."""

    name: str
    type_ref: str | None
    is_collection: bool
    components: tuple[ItemDefinition, ...] = ()
    is_function: bool = False
    function_output: str | None = None
    allowed_values: str | None = None


@dataclass(frozen=True)
class FormalParameter:
    """A parameter of a BKM or boxed function definition."""

    name: str
    type_ref: str | None


@dataclass(frozen=True)
class LiteralExpression:
    """A FEEL text."""

    text: str
    type_ref: str | None = None


@dataclass(frozen=True)
class ContextEntry:
    """One entry of a boxed context; ``name`` is None for the final result entry."""

    name: str | None
    type_ref: str | None
    expression: BoxedExpression


@dataclass(frozen=True)
class BoxedContext:
    """A boxed context: entries evaluated in order, each seeing the earlier ones."""

    entries: tuple[ContextEntry, ...]
    type_ref: str | None = None


@dataclass(frozen=True)
class BoxedList:
    """A boxed list of expressions."""

    items: tuple[BoxedExpression, ...]
    type_ref: str | None = None


@dataclass(frozen=True)
class BoxedRelation:
    """A boxed relation: a list of contexts sharing column names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[BoxedExpression, ...], ...]
    type_ref: str | None = None


@dataclass(frozen=True)
class BoxedInvocation:
    """A boxed invocation: a function expression and named argument bindings."""

    function: BoxedExpression
    bindings: tuple[tuple[str, BoxedExpression | None], ...]
    type_ref: str | None = None


@dataclass(frozen=True)
class BoxedFunction:
    """A boxed function definition; ``kind`` is FEEL, Java or PMML."""

    parameters: tuple[FormalParameter, ...]
    body: BoxedExpression | None
    kind: str = "FEEL"
    type_ref: str | None = None


@dataclass(frozen=True)
class UnsupportedExpression:
    """A boxed expression kind the runner does not evaluate (e.g. a decision table)."""

    tag: str
    type_ref: str | None = None


BoxedExpression = (
    LiteralExpression
    | BoxedContext
    | BoxedList
    | BoxedRelation
    | BoxedInvocation
    | BoxedFunction
    | UnsupportedExpression
)


@dataclass(frozen=True)
class InputData:
    """An input of the model, supplied by the test case."""

    id: str
    name: str
    type_ref: str | None


@dataclass(frozen=True)
class Decision:
    """A decision and what it requires."""

    id: str
    name: str
    type_ref: str | None
    expression: BoxedExpression | None
    required_decisions: tuple[str, ...] = ()
    required_inputs: tuple[str, ...] = ()
    required_knowledge: tuple[str, ...] = ()


@dataclass(frozen=True)
class BusinessKnowledgeModel:
    """A BKM: a named function whose logic is a boxed expression."""

    id: str
    name: str
    type_ref: str | None
    parameters: tuple[FormalParameter, ...]
    body: BoxedExpression | None
    body_type_ref: str | None
    required_knowledge: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionService:
    """A decision service: output decisions computed from input decisions and input data."""

    id: str
    name: str
    type_ref: str | None
    output_decisions: tuple[str, ...]
    input_decisions: tuple[str, ...]
    input_data: tuple[str, ...]


@dataclass
class DmnModel:
    """Everything of a model file the runner evaluates, indexed by id."""

    name: str
    item_definitions: dict[str, ItemDefinition] = field(default_factory=dict)
    inputs: dict[str, InputData] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    knowledge_models: dict[str, BusinessKnowledgeModel] = field(default_factory=dict)
    services: dict[str, DecisionService] = field(default_factory=dict)

    def decision_named(self, name: str) -> Decision | None:
        """The decision with this name, if any."""
        return next((d for d in self.decisions.values() if d.name == name), None)

    def service_named(self, name: str) -> DecisionService | None:
        """The decision service with this name, if any."""
        return next((s for s in self.services.values() if s.name == name), None)


def read_model(path: Path) -> DmnModel:
    """Parse a ``.dmn`` file."""
    root = ElementTree.parse(str(path)).getroot()
    if root is None:
        raise ValueError(f"{path.name} is empty")
    model = DmnModel(name=root.get("name", path.stem))
    for element in root:
        kind = local_name(element)
        element_id = element.get("id") or element.get("name") or ""
        if kind == "itemDefinition":
            item = _read_item_definition(element)
            model.item_definitions[item.name] = item
        elif kind == "inputData":
            model.inputs[element_id] = InputData(
                element_id, element.get("name", ""), _variable_type(element)
            )
        elif kind == "decision":
            model.decisions[element_id] = _read_decision(element, element_id)
        elif kind == "businessKnowledgeModel":
            model.knowledge_models[element_id] = _read_bkm(element, element_id)
        elif kind == "decisionService":
            model.services[element_id] = _read_service(element, element_id)
    return model


def _variable_type(element: Element) -> str | None:
    variable = child(element, "variable")
    return None if variable is None else variable.get("typeRef")


def _hrefs(element: Element, container: str, reference: str) -> tuple[str, ...]:
    found = []
    for requirement in children(element, container):
        for ref in children(requirement, reference):
            found.append(href_id(ref.get("href", "")))
    return tuple(found)


def _read_item_definition(element: Element) -> ItemDefinition:
    function_item = child(element, "functionItem")
    allowed = child(element, "allowedValues")
    return ItemDefinition(
        name=element.get("name", ""),
        type_ref=(child_text(element, "typeRef") or "").strip() or None,
        is_collection=element.get("isCollection", "false") == "true",
        components=tuple(_read_item_definition(c) for c in children(element, "itemComponent")),
        is_function=function_item is not None,
        function_output=None if function_item is None else function_item.get("outputTypeRef"),
        allowed_values=None if allowed is None else child_text(allowed, "text"),
    )


def _read_decision(element: Element, element_id: str) -> Decision:
    return Decision(
        id=element_id,
        name=element.get("name", ""),
        type_ref=_variable_type(element),
        expression=_read_first_expression(element),
        required_decisions=_hrefs(element, "informationRequirement", "requiredDecision"),
        required_inputs=_hrefs(element, "informationRequirement", "requiredInput"),
        required_knowledge=_hrefs(element, "knowledgeRequirement", "requiredKnowledge"),
    )


def _read_bkm(element: Element, element_id: str) -> BusinessKnowledgeModel:
    logic = child(element, "encapsulatedLogic")
    parameters: tuple[FormalParameter, ...] = ()
    body: BoxedExpression | None = None
    body_type: str | None = None
    if logic is not None:
        parameters = _read_parameters(logic)
        body = _read_first_expression(logic)
        body_type = logic.get("typeRef")
    return BusinessKnowledgeModel(
        id=element_id,
        name=element.get("name", ""),
        type_ref=_variable_type(element),
        parameters=parameters,
        body=body,
        body_type_ref=body_type,
        required_knowledge=_hrefs(element, "knowledgeRequirement", "requiredKnowledge"),
    )


def _read_service(element: Element, element_id: str) -> DecisionService:
    def refs(name: str) -> tuple[str, ...]:
        return tuple(href_id(ref.get("href", "")) for ref in children(element, name))

    return DecisionService(
        id=element_id,
        name=element.get("name", ""),
        type_ref=_variable_type(element),
        output_decisions=refs("outputDecision"),
        input_decisions=refs("inputDecision"),
        input_data=refs("inputData"),
    )


def _read_parameters(element: Element) -> tuple[FormalParameter, ...]:
    return tuple(
        FormalParameter(p.get("name", ""), p.get("typeRef"))
        for p in children(element, "formalParameter")
    )


# Children of decisions and boxed expressions that are not themselves expressions.
_NOT_EXPRESSIONS = frozenset(
    {
        "description",
        "extensionElements",
        "question",
        "allowedAnswers",
        "variable",
        "informationRequirement",
        "knowledgeRequirement",
        "authorityRequirement",
        "supportedObjective",
        "impactedPerformanceIndicator",
        "decisionMaker",
        "decisionOwner",
        "usingProcess",
        "usingTask",
        "formalParameter",
        "parameter",
    }
)


def _read_first_expression(element: Element) -> BoxedExpression | None:
    for candidate in element:
        if local_name(candidate) and local_name(candidate) not in _NOT_EXPRESSIONS:
            return read_expression(candidate)
    return None


def read_expression(element: Element) -> BoxedExpression:
    """The boxed expression an element holds."""
    kind = local_name(element)
    type_ref = element.get("typeRef")
    if kind == "literalExpression":
        return LiteralExpression(child_text(element, "text") or "", type_ref)
    if kind == "context":
        entries = []
        for entry in children(element, "contextEntry"):
            variable = child(entry, "variable")
            body = _read_first_expression(entry)
            entries.append(
                ContextEntry(
                    name=None if variable is None else variable.get("name", ""),
                    type_ref=None if variable is None else variable.get("typeRef"),
                    expression=body or LiteralExpression("null"),
                )
            )
        return BoxedContext(tuple(entries), type_ref)
    if kind == "list":
        return BoxedList(tuple(read_expression(item) for item in element), type_ref)
    if kind == "relation":
        columns = tuple(c.get("name", "") for c in children(element, "column"))
        rows = tuple(
            tuple(read_expression(cell) for cell in row) for row in children(element, "row")
        )
        return BoxedRelation(columns, rows, type_ref)
    if kind == "invocation":
        function = _read_first_expression(element) or LiteralExpression("null")
        bindings = []
        for binding in children(element, "binding"):
            parameter = child(binding, "parameter")
            name = "" if parameter is None else parameter.get("name", "")
            bindings.append((name, _read_first_expression(binding)))
        return BoxedInvocation(function, tuple(bindings), type_ref)
    if kind == "functionDefinition":
        return BoxedFunction(
            parameters=_read_parameters(element),
            body=_read_first_expression(element),
            kind=element.get("kind", "FEEL"),
            type_ref=type_ref,
        )
    return UnsupportedExpression(kind, type_ref)
