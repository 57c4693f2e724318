"""The compiler: a GraphQL selection, walked once against the schema, becomes object plans."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db.models import Field, ForeignKey, ManyToOneRel, OneToOneField, QuerySet
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Undefined
from strawberry import Schema
from strawberry.types.base import StrawberryObjectDefinition
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.relay import DjangoCursorConnection
from strawberry_django.relay.cursor_connection import apply_cursor_pagination
from strawberry_django.utils.typing import get_django_definition

from api_project.statements import Prepared

from .plans import (
    ObjectPlan,
    Row,
    Shape,
    ToMany,
    Unsupported,
    camel,
    constant,
    context,
    django_field,
    edges_of,
    from_side,
    global_id,
    joined_object,
    leaf,
    nth_node,
    object_type,
    page_cap,
    required,
    root_connection,
    verbatim,
)


class Compiler:
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
        by_name = {f.graphql_name or camel(f.python_name): f for f in definition.fields}
        for key, found in self.subfields(type_, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                plan.renders.append((key, constant(type_.name)))
            elif name == "id" and any(i.name == "Node" for i in type_.interfaces):
                plan.renders.append((key, global_id(type_.name, plan.pk)))
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
        return lambda queryset: method(queryset, SimpleNamespace(context=context.get()))

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
        model_field = django_field(plan.model, strawberry_field)
        output = parent.fields[nodes[0].name.value].type
        if any(node.arguments for node in nodes) and not strawberry_field.is_connection:
            raise Unsupported
        slot = f"\0{plan.prefix}{key}"
        if strawberry_field.is_connection:
            plan.loaders.append(self.connection(plan, slot, parent, nodes, strawberry_field))
            plan.renders.append((key, from_side(slot)))
        elif isinstance(model_field, ForeignKey | OneToOneField):
            target = object_type(output)
            if vars(self.definition(target.name).origin).get("get_queryset"):
                raise Unsupported  # a to-one target filtered by visibility: standard executor
            joined = self.object_plan(target, nodes, f"{plan.prefix}{model_field.name}__")
            plan.columns |= joined.columns
            plan.loaders.extend(joined.loaders)
            plan.renders.append((key, required(joined_object(joined), output)))
        elif isinstance(model_field, ManyToOneRel):
            child_key = model_field.field.attname
            target_plan = self.object_plan(object_type(output), nodes)
            target_plan.columns.add(child_key)
            plan.loaders.append(ToMany(slot, plan.pk, child_key, target_plan))
            plan.renders.append((key, from_side(slot)))
        elif isinstance(model_field, Field) and not model_field.is_relation:
            column = f"{plan.prefix}{model_field.attname}"
            plan.columns.add(column)
            plan.renders.append((key, leaf(column, output)))
            if verbatim(model_field, output):
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
        max_results = page_cap(strawberry_field)
        if first < 0 or first > max_results:
            raise Unsupported
        connection_type = object_type(parent.fields[nodes[0].name.value].type)
        shape = self.connection_shape(connection_type, nodes, ordering_cls, ordering)
        model = strawberry_field.django_model
        if model is None:
            raise Unsupported
        related = None
        if plan is not None:
            relation = django_field(plan.model, strawberry_field)
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
        names = {f.graphql_name or camel(f.python_name): f.python_name for f in definition.fields}
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
    ) -> "Shape":
        renders: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
        node_plans: list[ObjectPlan] = []
        definition = self._node_definition(connection_type)
        for key, found in self.subfields(connection_type, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                renders.append((key, constant(connection_type.name)))
            elif name == "totalCount":
                renders.append((key, lambda page: page["count"]()))
            elif name == "pageInfo":
                renders.append((key, self.page_info(connection_type, found)))
            elif name == "edges":
                edge_type = object_type(connection_type.fields["edges"].type)
                edge_renders: list[tuple[str, Callable[[Any], Any]]] = []
                for edge_key, edge_nodes in self.subfields(edge_type, found).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "__typename":
                        edge_renders.append((edge_key, constant(edge_type.name)))
                    elif edge_name == "node":
                        node_type = object_type(edge_type.fields["node"].type)
                        node_plan = self.object_plan(node_type, edge_nodes)
                        index = len(node_plans)
                        node_plans.append(node_plan)
                        edge_renders.append((edge_key, nth_node(index)))
                    else:
                        raise Unsupported  # cursors: the standard executor encodes them
                renders.append((key, edges_of(edge_renders)))
            else:
                raise Unsupported
        return Shape(
            renders=renders,
            node_plans=node_plans,
            visible=self.visibility(definition),
            visible_to_all="get_queryset" not in vars(definition.origin),
            ordering_cls=ordering_cls,
            ordering=ordering,
        )

    def _node_definition(self, connection_type: GraphQLObjectType) -> StrawberryObjectDefinition:
        edge_type = object_type(connection_type.fields["edges"].type)
        return self.definition(object_type(edge_type.fields["node"].type).name)

    def page_info(
        self, connection_type: GraphQLObjectType, nodes: list[FieldNode]
    ) -> Callable[[dict[str, Any]], Any]:
        info_type = object_type(connection_type.fields["pageInfo"].type)
        parts: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
        for key, found in self.subfields(info_type, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                parts.append((key, constant(info_type.name)))
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
        by_name = {f.graphql_name or camel(f.python_name): f for f in definition.fields}
        parts: list[tuple[str, Callable[[], Any]]] = []
        for key, nodes in self.collect(root_type, selection_set).items():
            name = nodes[0].name.value
            if name == "__typename":
                parts.append((key, constant(root_type.name)))
                continue
            strawberry_field = by_name.get(name)
            if not isinstance(strawberry_field, StrawberryDjangoField):
                raise Unsupported
            if strawberry_field.is_connection:
                slot = f"\0{key}"
                load = self.connection(None, slot, root_type, nodes, strawberry_field)
                parts.append((key, root_connection(load, slot)))
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
            a.graphql_name or camel(a.python_name): a.python_name for a in resolver.arguments
        }
        if any(name not in python_names for name in arguments):
            raise Unsupported
        resolve = resolver.wrapped_func
        if not callable(resolve):
            raise Unsupported
        kwargs = {python_names[n]: v for n, v in arguments.items()}
        plan = self.object_plan(object_type(output), nodes)
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
