"""A compiled executor for the read queries frontends send most.

Resolving a large page field by field (Strawberry's and strawberry-django's wrappers around
each of ~3,000 fields) cost far more than the SQL behind it: the event page took 60 ms on the
standard executor. Here a document and its variables are turned once into a program: one
query per relation level (to-one relations joined, as the optimizer joins them; the SQL of
each level compiled by the ORM once), and for each object one generated function building its
dictionary from the row, columns read as they are wherever the scalar would return them
unchanged. The same page takes about 5 ms.

It is an optimisation, never a second semantics:
- only documents the standard executor has already run without errors are compiled, so every
  validation rule and limit (depth, aliases, tokens) has been applied to them by the real thing;
- what the plan does not cover (custom resolvers, filters, cursors, list connections, unions,
  a nested connection under more than one parent, a null where the schema promises a value…)
  raises `Unsupported`, and the standard executor answers instead;
- relations read the same querysets the schema's types read (default managers, model ordering,
  the type's own `get_queryset` visibility rule, strawberry-django's ordering and cursor
  pagination), and leaves are serialised by the schema's own scalar and enum types.
tests/api_project/test_graphql_compiled.py runs the suite's queries through both executors.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import (
    Field,
    ForeignKey,
    ManyToOneRel,
    Model,
    OneToOneField,
    QuerySet,
)
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.pyutils import Undefined
from strawberry import Schema
from strawberry.relay.utils import to_base64
from strawberry.types import ExecutionResult
from strawberry.types.base import StrawberryObjectDefinition
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.ordering import apply_ordering
from strawberry_django.relay import DjangoCursorConnection
from strawberry_django.relay.cursor_connection import apply_cursor_pagination
from strawberry_django.utils.typing import get_django_definition

from api_project.statements import Prepared, Statement, together

from .documents import parsed

logger = logging.getLogger(__name__)
Row = dict[str, Any]
Render = Callable[[Row], Any]


class Unsupported(Exception):
    """The document, or these variables, need the standard executor."""


# Documents the standard executor ran without errors: validated, so safe to compile.
_validated: set[str] = set()
# The request's context while a program runs: visibility rules read the viewer from it.
_context: ContextVar[Any] = ContextVar("compiled_graphql_context")


def learn(query: str | None, result: ExecutionResult) -> None:
    if query and not result.errors and len(_validated) < 10_000:
        _validated.add(query)


def execute(
    schema: Schema,
    query: str | None,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    context: Any,
) -> ExecutionResult | None:
    """The response, or None when the standard executor must answer."""
    if not query or query not in _validated:
        return None
    try:
        program = _program(schema, query, operation_name, json.dumps(variables, sort_keys=True))
        if program is None:
            return None
        token = _context.set(context)
        try:
            data = program()
        finally:
            _context.reset(token)
    except Unsupported:
        return None
    except Exception:  # a gap in the plan must cost speed, never the answer
        logger.exception("Compiled execution failed; the standard executor answers.")
        return None
    return ExecutionResult(data=data, errors=None)


@lru_cache(maxsize=512)
def _program(
    schema: Schema, query: str, operation_name: str | None, variables: str
) -> Callable[[], Row] | None:
    """The document turned into one function, once per document and variables; None when the
    standard executor must answer."""
    try:
        return _compile(schema, query, operation_name, json.loads(variables))
    except Unsupported:
        return None


def _compile(
    schema: Schema,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> Callable[[], Row]:
    document = parsed(query)
    if document is None:
        raise Unsupported
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or _name(o) == operation_name]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        raise Unsupported
    operation = chosen[0]
    coerced = get_variable_values(
        schema._schema, operation.variable_definitions or (), variables or {}
    )
    if not isinstance(coerced, VariableValues):
        raise Unsupported
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    compiler = _Compiler(schema, coerced, fragments)
    root_type = schema._schema.query_type
    assert root_type is not None
    return compiler.root(root_type, operation.selection_set)


def _name(operation: OperationDefinitionNode) -> str | None:
    return operation.name.value if operation.name else None


@dataclass
class ObjectPlan:
    """How to fetch and render one object type at one place in the document."""

    model: type[Model]
    queryset: Callable[[QuerySet[Any]], QuerySet[Any]]
    # Columns of a to-one relation are read in the parent's query, through a join, under the
    # relation's path (`source__name`), as strawberry-django's optimizer joins them too.
    prefix: str = ""
    columns: set[str] = field(default_factory=set)
    renders: list[tuple[str, Render]] = field(default_factory=list)
    # Keys whose value is the column's own (text into String, integer into Int…): read inline.
    inline: dict[str, str] = field(default_factory=dict)
    loaders: list[Callable[[list[Row]], None]] = field(default_factory=list)

    visible_to_all: bool = False  # the type has no get_queryset of its own

    def __post_init__(self) -> None:
        self.pk = f"{self.prefix}pk"
        self.columns.add(self.pk)

    def fetch(self, queryset: QuerySet[Any]) -> list[Row]:
        return list(self.queryset(queryset).values(*self.columns))

    def resolve(self, rows: list[Row]) -> list[dict[str, Any]]:
        self.load_together(rows)
        render = self.render
        return [render(row) for row in rows]

    def load_together(self, rows: list[Row]) -> None:
        """Sibling relations with compiled SQL (an entry's citations and its mentions) are
        read in one round trip; the others one by one."""
        batched = [
            (relation, statement)
            for relation in self.loaders
            if isinstance(relation, _ToMany) and (statement := relation.statement()) is not None
        ]
        done: set[int] = set()
        if len(batched) > 1:
            found = together([(statement, relation.ids(rows)) for relation, statement in batched])
            for (relation, _), (names, tuples) in zip(batched, found, strict=True):
                relation.attach(rows, [dict(zip(names, row, strict=True)) for row in tuples])
                done.add(id(relation))
        for load in self.loaders:
            if id(load) not in done:
                load(rows)

    @cached_property
    def render(self) -> Render:
        """One function building a row's object: a dictionary display with each key's
        expression, instead of a loop calling a function per field."""
        names: dict[str, Any] = {}
        items = []
        for index, (key, render) in enumerate(self.renders):
            if key in self.inline:
                items.append(f"{key!r}: row[{self.inline[key]!r}]")
            else:
                names[f"_{index}"] = render
                items.append(f"{key!r}: _{index}(row)")
        source = f"def render(row):\n    return {{{', '.join(items)}}}\n"
        # Keys are GraphQL names and columns model attribute names, both repr-quoted.
        exec(source, names)
        built: Render = names["render"]
        return built


class _Compiler:
    def __init__(
        self,
        schema: Schema,
        variables: VariableValues,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = fragments

    # Selections -----------------------------------------------------------------------------

    def collect(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode | None
    ) -> dict[str, list[FieldNode]]:
        """Fields by response key, in document order, with fragments and @skip/@include
        applied, as the GraphQL specification's CollectFields does."""
        fields: dict[str, list[FieldNode]] = {}
        self._collect(type_, selection_set, fields, set())
        return fields

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode | None,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections if selection_set else ():
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, type_):
                    self._collect(type_, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition, type_):
                    self._collect(type_, fragment.selection_set, fields, visited)

    def _included(self, node: Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                raise Unsupported
            definition = GraphQLSkipDirective if name == "skip" else GraphQLIncludeDirective
            value = get_argument_values(definition, directive, self.variables)["if"]
            if value is (name == "skip"):
                return False
        return True

    def _applies(self, condition: Any, type_: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == type_.name:
            return True
        return any(interface.name == condition.name.value for interface in type_.interfaces)

    def subfields(
        self, type_: GraphQLObjectType, nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        merged: dict[str, list[FieldNode]] = {}
        for node in nodes:
            for key, found in self.collect(type_, node.selection_set).items():
                merged.setdefault(key, []).extend(found)
        return merged

    def arguments(self, type_: GraphQLObjectType, node: FieldNode) -> dict[str, Any]:
        return get_argument_values(type_.fields[node.name.value], node, self.variables)

    # Types ----------------------------------------------------------------------------------

    def definition(self, type_name: str) -> StrawberryObjectDefinition:
        definition = self.schema.get_type_by_name(type_name)
        if not isinstance(definition, StrawberryObjectDefinition):
            raise Unsupported
        return definition

    def object_plan(
        self, type_: GraphQLObjectType, nodes: list[FieldNode], prefix: str = ""
    ) -> ObjectPlan:
        definition = self.definition(type_.name)
        django = get_django_definition(definition.origin)
        if django is None:
            raise Unsupported
        plan = ObjectPlan(
            django.model,
            self.visibility(definition),
            prefix,
            visible_to_all="get_queryset" not in vars(definition.origin),
        )
        by_name = {f.graphql_name or _camel(f.python_name): f for f in definition.fields}
        for key, found in self.subfields(type_, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                plan.renders.append((key, _constant(type_.name)))
            elif name == "id" and any(i.name == "Node" for i in type_.interfaces):
                plan.renders.append((key, _global_id(type_.name, plan.pk)))
            else:
                strawberry_field = by_name.get(name)
                if not isinstance(strawberry_field, StrawberryDjangoField):
                    raise Unsupported
                self.model_field(plan, key, type_, found, strawberry_field)
        return plan

    def visibility(
        self, definition: StrawberryObjectDefinition
    ) -> Callable[[QuerySet[Any]], QuerySet[Any]]:
        """The type's own get_queryset (who may see what), as every standard path applies it."""
        get_queryset = vars(definition.origin).get("get_queryset")
        if get_queryset is None:
            return lambda queryset: queryset
        method = definition.origin.get_queryset
        return lambda queryset: method(queryset, SimpleNamespace(context=_context.get()))

    def model_field(
        self,
        plan: ObjectPlan,
        key: str,
        parent: GraphQLObjectType,
        nodes: list[FieldNode],
        strawberry_field: StrawberryDjangoField,
    ) -> None:
        if strawberry_field.base_resolver is not None and not strawberry_field.is_connection:
            raise Unsupported
        model_field = _model_field(plan.model, strawberry_field)
        output = parent.fields[nodes[0].name.value].type
        if any(node.arguments for node in nodes) and not strawberry_field.is_connection:
            raise Unsupported
        slot = f"\0{plan.prefix}{key}"
        if strawberry_field.is_connection:
            plan.loaders.append(self.connection(plan, slot, parent, nodes, strawberry_field))
            plan.renders.append((key, _from_side(slot)))
        elif isinstance(model_field, ForeignKey | OneToOneField):
            target = _object_type(output)
            if vars(self.definition(target.name).origin).get("get_queryset"):
                raise Unsupported  # a to-one target filtered by visibility: standard executor
            joined = self.object_plan(target, nodes, f"{plan.prefix}{model_field.name}__")
            plan.columns |= joined.columns
            plan.loaders.extend(joined.loaders)
            plan.renders.append((key, _required(_joined(joined), output)))
        elif isinstance(model_field, ManyToOneRel):
            child_key = model_field.field.attname
            target_plan = self.object_plan(_object_type(output), nodes)
            target_plan.columns.add(child_key)
            plan.loaders.append(_ToMany(slot, plan.pk, child_key, target_plan))
            plan.renders.append((key, _from_side(slot)))
        elif isinstance(model_field, Field) and not model_field.is_relation:
            column = f"{plan.prefix}{model_field.attname}"
            plan.columns.add(column)
            plan.renders.append((key, _leaf(column, output)))
            if _verbatim(model_field, output):
                plan.inline[key] = column
        else:
            raise Unsupported

    # Connections ----------------------------------------------------------------------------

    def connection(
        self,
        plan: ObjectPlan | None,
        slot: str,
        parent: GraphQLObjectType,
        nodes: list[FieldNode],
        strawberry_field: StrawberryDjangoField,
    ) -> Callable[[list[Row]], None]:
        """A cursor connection read the way DjangoCursorConnection reads it: the type's
        queryset, the requested ordering, then strawberry-django's own cursor pagination."""
        connection_class = strawberry_field.type
        if not (
            isinstance(connection_class, type)
            and issubclass(connection_class, DjangoCursorConnection)
        ):
            raise Unsupported  # list connections (offset cursors): the standard executor
        if len({str(node.arguments) for node in nodes}) > 1:
            raise Unsupported
        arguments = self.arguments(parent, nodes[0])
        first = arguments.get("first")
        if first is None or arguments.get("after") or arguments.get("before"):
            raise Unsupported
        if arguments.get("last") is not None or arguments.get("filters") is not None:
            raise Unsupported
        if arguments.get("order") not in (None, Undefined):
            raise Unsupported
        ordering_cls = strawberry_field.get_ordering()
        ordering = self.ordering(ordering_cls, arguments.get("ordering") or [])
        max_results = _max_results(strawberry_field)
        if first < 0 or first > max_results:
            raise Unsupported
        connection_type = _object_type(parent.fields[nodes[0].name.value].type)
        shape = self.connection_shape(connection_type, nodes, ordering_cls, ordering)
        model = strawberry_field.django_model
        if model is None:
            raise Unsupported
        related = None
        if plan is not None:
            relation = _model_field(plan.model, strawberry_field)
            if not isinstance(relation, ManyToOneRel):
                raise Unsupported
            related = relation.field.attname

        parent_pk = plan.pk if plan is not None else "pk"

        def page(queryset: QuerySet[Any]) -> QuerySet[Any]:
            paged, _ = apply_cursor_pagination(
                shape.ordered(queryset),
                info=None,  # type: ignore[arg-type]
                before=None,
                after=None,
                first=first,
                last=None,
                max_results=max_results,
            )
            rows: QuerySet[Any] = paged.values(*shape.columns)
            return rows

        # A relation's page (a type without a visibility rule) runs SQL compiled once.
        prepared = (
            Prepared(
                lambda ids: page(model._default_manager.filter(**{f"{related}__in_array": ids}))
            )
            if related is not None and shape.visible_to_all
            else None
        )

        def load(rows: list[Row]) -> None:
            for row in rows:
                queryset = model._default_manager.all()
                if related is not None:
                    if len(rows) > 1:
                        raise Unsupported  # per-parent windows: the standard executor's
                    queryset = queryset.filter(**{related: row[parent_pk]})
                if prepared is not None:
                    found = prepared.rows([row[parent_pk]])
                else:
                    found = list(page(shape.visible(queryset)))
                row[slot] = shape.build(found, first, queryset)

        return load

    def ordering(self, ordering_cls: Any, values: list[dict[str, Any]]) -> list[Any]:
        if ordering_cls is None:
            if values:
                raise Unsupported
            return []
        definition: StrawberryObjectDefinition = ordering_cls.__strawberry_definition__
        names = {f.graphql_name or _camel(f.python_name): f.python_name for f in definition.fields}
        result = []
        for value in values:
            if any(name not in names for name in value):
                raise Unsupported
            result.append(ordering_cls(**{names[name]: v for name, v in value.items()}))
        return result

    def connection_shape(
        self,
        connection_type: GraphQLObjectType,
        nodes: list[FieldNode],
        ordering_cls: Any,
        ordering: list[Any],
    ) -> "_Shape":
        renders: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
        node_plans: list[ObjectPlan] = []
        definition = self._node_definition(connection_type)
        for key, found in self.subfields(connection_type, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                renders.append((key, _constant(connection_type.name)))
            elif name == "totalCount":
                renders.append((key, lambda page: page["count"]()))
            elif name == "pageInfo":
                renders.append((key, self.page_info(connection_type, found)))
            elif name == "edges":
                edge_type = _object_type(connection_type.fields["edges"].type)
                edge_renders: list[tuple[str, Callable[[Any], Any]]] = []
                for edge_key, edge_nodes in self.subfields(edge_type, found).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "__typename":
                        edge_renders.append((edge_key, _constant(edge_type.name)))
                    elif edge_name == "node":
                        node_type = _object_type(edge_type.fields["node"].type)
                        node_plan = self.object_plan(node_type, edge_nodes)
                        index = len(node_plans)
                        node_plans.append(node_plan)
                        edge_renders.append((edge_key, _nth_node(index)))
                    else:
                        raise Unsupported  # cursors: the standard executor encodes them
                renders.append((key, _edges(edge_renders)))
            else:
                raise Unsupported
        return _Shape(
            renders=renders,
            node_plans=node_plans,
            visible=self.visibility(definition),
            visible_to_all="get_queryset" not in vars(definition.origin),
            ordering_cls=ordering_cls,
            ordering=ordering,
        )

    def _node_definition(self, connection_type: GraphQLObjectType) -> StrawberryObjectDefinition:
        edge_type = _object_type(connection_type.fields["edges"].type)
        return self.definition(_object_type(edge_type.fields["node"].type).name)

    def page_info(
        self, connection_type: GraphQLObjectType, nodes: list[FieldNode]
    ) -> Callable[[dict[str, Any]], Any]:
        info_type = _object_type(connection_type.fields["pageInfo"].type)
        parts: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
        for key, found in self.subfields(info_type, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                parts.append((key, _constant(info_type.name)))
            elif name == "hasNextPage":
                parts.append((key, lambda state: state["has_next"]))
            elif name == "hasPreviousPage":
                parts.append((key, lambda state: False))
            else:
                raise Unsupported
        return lambda state: {key: part(state) for key, part in parts}

    # The root -------------------------------------------------------------------------------

    def root(
        self, root_type: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> Callable[[], Row]:
        definition = self.definition(root_type.name)
        by_name = {f.graphql_name or _camel(f.python_name): f for f in definition.fields}
        parts: list[tuple[str, Callable[[], Any]]] = []
        for key, nodes in self.collect(root_type, selection_set).items():
            name = nodes[0].name.value
            if name == "__typename":
                parts.append((key, _constant(root_type.name)))
                continue
            strawberry_field = by_name.get(name)
            if not isinstance(strawberry_field, StrawberryDjangoField):
                raise Unsupported
            if strawberry_field.is_connection:
                slot = f"\0{key}"
                load = self.connection(None, slot, root_type, nodes, strawberry_field)
                parts.append((key, _root_connection(load, slot)))
            else:
                parts.append((key, self.single(root_type, nodes, strawberry_field)))
        return lambda: {key: part() for key, part in parts}

    def single(
        self,
        root_type: GraphQLObjectType,
        nodes: list[FieldNode],
        strawberry_field: StrawberryDjangoField,
    ) -> Callable[[], Any]:
        """A root field whose resolver narrows a queryset to one object (`event(slug:)`)."""
        resolver = strawberry_field.base_resolver
        output = root_type.fields[nodes[0].name.value].type
        if resolver is None or isinstance(output, GraphQLList) or len(nodes) > 1:
            raise Unsupported
        if resolver.info_parameter or resolver.root_parameter:
            raise Unsupported
        arguments = self.arguments(root_type, nodes[0])
        python_names = {
            a.graphql_name or _camel(a.python_name): a.python_name for a in resolver.arguments
        }
        if any(name not in python_names for name in arguments):
            raise Unsupported
        resolve = resolver.wrapped_func
        if not callable(resolve):
            raise Unsupported
        kwargs = {python_names[n]: v for n, v in arguments.items()}
        plan = self.object_plan(_object_type(output), nodes)
        non_null = isinstance(output, GraphQLNonNull)

        def run() -> Any:
            queryset = resolve(None, **kwargs)
            if not isinstance(queryset, QuerySet):
                raise Unsupported
            rows = plan.fetch(queryset[:2])
            if len(rows) > 1 or (non_null and not rows):
                raise Unsupported
            return plan.resolve(rows)[0] if rows else None

        return run


# Plan pieces ----------------------------------------------------------------------------------


@dataclass
class _Shape:
    """A connection's page: the type's visibility and the requested ordering on the way in,
    `edges`, `totalCount` and `pageInfo` on the way out."""

    renders: list[tuple[str, Callable[[dict[str, Any]], Any]]]
    node_plans: list[ObjectPlan]
    visible: Callable[[QuerySet[Any]], QuerySet[Any]]
    visible_to_all: bool
    ordering_cls: Any
    ordering: list[Any]

    @cached_property
    def columns(self) -> set[str]:
        return set().union({"pk"}, *(plan.columns for plan in self.node_plans))

    def ordered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return apply_ordering(self.ordering_cls, self.ordering, None, self.visible(queryset))

    def build(self, rows: list[Row], first: int, queryset: QuerySet[Any]) -> dict[str, Any]:
        """The connection's object from the page's rows (read one past `first`); the total
        is counted only when asked for."""
        has_next = len(rows) > first
        rows = rows[:first]
        state = {
            "count": lambda: self.ordered(queryset).count(),
            "has_next": has_next,
            "nodes": [plan.resolve([dict(row) for row in rows]) for plan in self.node_plans],
            "length": len(rows),
        }
        return {key: render(state) for key, render in self.renders}


def _root_connection(load: Callable[[list[Row]], None], slot: str) -> Callable[[], Any]:
    def run() -> Any:
        rows: list[Row] = [{}]
        load(rows)
        return rows[0][slot]

    return run


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _model_field(model: type[Model], strawberry_field: StrawberryDjangoField) -> Any:
    if not strawberry_field.django_name:
        raise Unsupported
    try:
        return model._meta.get_field(strawberry_field.django_name)
    except FieldDoesNotExist:
        raise Unsupported from None


def _object_type(type_: GraphQLOutputType) -> GraphQLObjectType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLObjectType):
        raise Unsupported
    return type_


def _max_results(strawberry_field: StrawberryDjangoField) -> int:
    for extension in strawberry_field.extensions:
        if (limit := getattr(extension, "max_results", None)) is not None:
            return int(limit)
    raise Unsupported


def _constant(value: Any) -> Callable[..., Any]:
    return lambda *row: value


def _global_id(type_name: str, pk: str) -> Render:
    return lambda row: to_base64(type_name, row[pk])


def _from_side(slot: str) -> Render:
    """A relation's value, put on the row by its loader."""
    return lambda row: row[slot]


def _joined(plan: ObjectPlan) -> Render:
    """A to-one relation read from the parent's row: null when the join found nothing."""
    pk = plan.pk

    def render(row: Row) -> Any:
        if row[pk] is None:
            return None
        return plan.render(row)

    return render


def _required(render: Render, output: GraphQLOutputType) -> Render:
    if not isinstance(output, GraphQLNonNull):
        return render

    def checked(row: Row) -> Any:
        value = render(row)
        if value is None:
            raise Unsupported  # the standard executor reports the broken promise
        return value

    return checked


def _serializer(type_: Any) -> Callable[[Any], Any]:
    """The schema's own serialisation of a scalar or enum (or a list of them)."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        item = _serializer(type_.of_type)
        return lambda values: [None if v is None else item(v) for v in values]
    if isinstance(type_, GraphQLEnumType):
        return _memoised(type_.serialize)
    if not isinstance(type_, GraphQLScalarType):
        raise Unsupported
    serialize: Callable[[Any], Any] = type_.serialize
    return serialize


def _memoised(serialize: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An enum's serialisation, remembered per stored value (a handful per enum)."""
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = serialize(value)
            return result

    return cached


_VERBATIM = {
    "String": (models.CharField, models.TextField),
    "Int": (models.IntegerField,),
    "Boolean": (models.BooleanField,),
}


def _verbatim(model_field: Field[Any, Any], output: GraphQLOutputType) -> bool:
    """Whether the scalar's serialisation returns the column's value unchanged: text for a
    String, a 32-bit integer for an Int, a boolean for a Boolean; and a NULL can only reach a
    field that may be null."""
    non_null = isinstance(output, GraphQLNonNull)
    named = output.of_type if isinstance(output, GraphQLNonNull) else output
    kinds = _VERBATIM.get(getattr(named, "name", ""), ())
    if not isinstance(model_field, kinds) or model_field.choices:
        return False
    if isinstance(model_field, models.BigIntegerField):
        return False  # may exceed the 32 bits an Int serialises
    return not (non_null and model_field.null)


def _leaf(column: str, output: GraphQLOutputType) -> Render:
    non_null = isinstance(output, GraphQLNonNull)
    serialize = _serializer(output)

    def render(row: Row) -> Any:
        value = row[column]
        if value is None:
            if non_null:
                raise Unsupported
            return None
        return serialize(value)

    return render


def _grouped(model: type[Model], column: str) -> QuerySet[Any]:
    """The related rows in the model's own order within each parent. Leading terms that only
    order by the parent itself (Citation's `entry`) are dropped: rows are grouped by parent
    anyway, and ordering by a foreign key joined the parent's table to sort on its ordering."""
    ordering = [str(term) for term in model._meta.ordering or ()]
    parent = column.removesuffix("_id")
    while ordering and ordering[0] in (parent, column):
        ordering.pop(0)
    return model._default_manager.order_by(*ordering)


class _ToMany:
    """A reverse relation's rows for a batch of parents, grouped back under each parent."""

    def __init__(self, slot: str, parent_pk: str, column: str, plan: ObjectPlan) -> None:
        self.slot, self.parent_pk, self.column, self.plan = slot, parent_pk, column, plan
        self.prepared = Prepared(lambda ids: self.queryset(ids).values(*plan.columns))

    def queryset(self, ids: list[Any]) -> QuerySet[Any]:
        return _grouped(self.plan.model, self.column).filter(**{f"{self.column}__in_array": ids})

    def ids(self, rows: list[Row]) -> list[Any]:
        return [row[self.parent_pk] for row in rows if row[self.parent_pk] is not None]

    def statement(self) -> Statement | None:
        """Its SQL compiled once, when the rows need no viewer's rule to filter them."""
        return self.prepared._statement() if self.plan.visible_to_all else None

    def __call__(self, rows: list[Row]) -> None:
        ids = self.ids(rows)
        statement = self.statement()
        if statement is not None:
            self.attach(rows, statement.rows(ids))
        else:
            self.attach(rows, self.plan.fetch(self.queryset(ids)))

    def attach(self, rows: list[Row], children: list[Row]) -> None:
        grouped: defaultdict[Any, list[Any]] = defaultdict(list)
        for child, rendered in zip(children, self.plan.resolve(children), strict=True):
            grouped[child[self.column]].append(rendered)
        for row in rows:
            row[self.slot] = grouped.get(row[self.parent_pk], [])


def _nth_node(index: int) -> Callable[[Any], Any]:
    return lambda nodes: nodes[index]


def _edges(renders: list[tuple[str, Callable[[Any], Any]]]) -> Callable[[dict[str, Any]], Any]:
    def render(state: dict[str, Any]) -> list[dict[str, Any]]:
        per_node: Iterable[tuple[Any, ...]] = zip(*state["nodes"], strict=True)
        if not state["nodes"]:
            per_node = [()] * state["length"]
        return [{key: part(nodes) for key, part in renders} for nodes in per_node]

    return render
