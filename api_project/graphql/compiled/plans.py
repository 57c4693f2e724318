"""The pieces a compiled program is made of: object plans, relations, connection pages, and
the functions that read a row."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Field, Model, QuerySet
from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from strawberry.relay.utils import to_base64
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.ordering import apply_ordering

from api_project.statements import Prepared, Statement, together

Row = dict[str, Any]
Render = Callable[[Row], Any]


class Unsupported(Exception):
    """The document, or these variables, need the standard executor."""


# The request's context while a program runs: visibility rules read the viewer from it.
context: ContextVar[Any] = ContextVar("compiled_graphql_context")


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
            if isinstance(relation, ToMany) and (statement := relation.statement()) is not None
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


@dataclass
class Shape:
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


def root_connection(load: Callable[[list[Row]], None], slot: str) -> Callable[[], Any]:
    def run() -> Any:
        rows: list[Row] = [{}]
        load(rows)
        return rows[0][slot]

    return run


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def django_field(model: type[Model], strawberry_field: StrawberryDjangoField) -> Any:
    if not strawberry_field.django_name:
        raise Unsupported
    try:
        return model._meta.get_field(strawberry_field.django_name)
    except FieldDoesNotExist:
        raise Unsupported from None


def object_type(type_: GraphQLOutputType) -> GraphQLObjectType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLObjectType):
        raise Unsupported
    return type_


def page_cap(strawberry_field: StrawberryDjangoField) -> int:
    for extension in strawberry_field.extensions:
        if (limit := getattr(extension, "max_results", None)) is not None:
            return int(limit)
    raise Unsupported


def constant(value: Any) -> Callable[..., Any]:
    return lambda *row: value


def global_id(type_name: str, pk: str) -> Render:
    return lambda row: to_base64(type_name, row[pk])


def from_side(slot: str) -> Render:
    """A relation's value, put on the row by its loader."""
    return lambda row: row[slot]


def joined_object(plan: ObjectPlan) -> Render:
    """A to-one relation read from the parent's row: null when the join found nothing."""
    pk = plan.pk

    def render(row: Row) -> Any:
        if row[pk] is None:
            return None
        return plan.render(row)

    return render


def required(render: Render, output: GraphQLOutputType) -> Render:
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


def verbatim(model_field: Field[Any, Any], output: GraphQLOutputType) -> bool:
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


def leaf(column: str, output: GraphQLOutputType) -> Render:
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


def in_parent_order(model: type[Model], column: str) -> QuerySet[Any]:
    """The related rows in the model's own order within each parent. Leading terms that only
    order by the parent itself (Citation's `entry`) are dropped: rows are grouped by parent
    anyway, and ordering by a foreign key joined the parent's table to sort on its ordering."""
    ordering = [str(term) for term in model._meta.ordering or ()]
    parent = column.removesuffix("_id")
    while ordering and ordering[0] in (parent, column):
        ordering.pop(0)
    return model._default_manager.order_by(*ordering)


class ToMany:
    """A reverse relation's rows for a batch of parents, grouped back under each parent."""

    def __init__(self, slot: str, parent_pk: str, column: str, plan: ObjectPlan) -> None:
        self.slot, self.parent_pk, self.column, self.plan = slot, parent_pk, column, plan
        self.prepared = Prepared(lambda ids: self.queryset(ids).values(*plan.columns))

    def queryset(self, ids: list[Any]) -> QuerySet[Any]:
        related = in_parent_order(self.plan.model, self.column)
        return related.filter(**{f"{self.column}__in_array": ids})

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


def nth_node(index: int) -> Callable[[Any], Any]:
    return lambda nodes: nodes[index]


def edges_of(renders: list[tuple[str, Callable[[Any], Any]]]) -> Callable[[dict[str, Any]], Any]:
    def render(state: dict[str, Any]) -> list[dict[str, Any]]:
        per_node: Iterable[tuple[Any, ...]] = zip(*state["nodes"], strict=True)
        if not state["nodes"]:
            per_node = [()] * state["length"]
        return [{key: part(nodes) for key, part in renders} for nodes in per_node]

    return render
