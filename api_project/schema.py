"""The one GraphQL schema: each app's Query and Mutation merged, the extensions set once."""

from datetime import datetime

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from actors.graphql.schema import Mutation as ActorsMutation
from actors.graphql.schema import Query as ActorsQuery
from api_project.graphql.errors import DatabaseUnavailableErrors, should_mask
from api_project.graphql.global_ids import UnreadableGlobalIDs
from api_project.graphql.invalid_inputs import (
    DeferInvalidInputs,
    ReportInvalidInputs,
    StrictNestedDateTimes,
)
from api_project.graphql.literals import NoNulInStrings
from api_project.graphql.mutations import AtomicMutation
from api_project.graphql.scalars import AwareDateTime
from events.graphql.schema import Mutation as EventsMutation
from events.graphql.schema import Query as EventsQuery


@strawberry.type
class NodeQuery:
    node: relay.Node | None = strawberry_django.node()


Query = merge_types("Query", (NodeQuery, EventsQuery, ActorsQuery))
Mutation = merge_types("Mutation", (EventsMutation, ActorsMutation))
for _field in Mutation.__strawberry_definition__.fields:  # type: ignore[attr-defined]
    _field.extensions.insert(0, AtomicMutation())
    _field.extensions.insert(0, ReportInvalidInputs())  # innermost: after the permission check

# Batches (a JSON array of operations, Apollo's BatchHttpLink) of at most this many.
MAX_BATCH = 10

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(
        scalar_map={datetime: AwareDateTime}, batching_config={"max_operations": MAX_BATCH}
    ),
    exception_handlers=[UnreadableGlobalIDs()],
    extensions=[
        DjangoOptimizerExtension,
        DeferInvalidInputs,
        lambda: QueryDepthLimiter(max_depth=12),
        lambda: MaxAliasesLimiter(max_alias_count=20),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: AddValidationRules([NoNulInStrings, StrictNestedDateTimes]),
        lambda: MaskErrors(should_mask_error=should_mask),
        DatabaseUnavailableErrors,
    ],
)
