"""The mutations' permission check: strawberry-django's HasPerm, with REST's two refusals.

A mutation refused for want of a permission answers in its payload (`OperationInfo`, kind
PERMISSION) whoever asks; the code says which refusal it is, as REST's status does: an
anonymous request gets `unauthenticated` (REST's 401) and the response carries
`WWW-Authenticate: Token`, which RFC 9110 allows on any response where credentials would
change the answer; a signed-in user without the permission gets `permission_denied` (REST's
403). The HTTP status stays 200: the refusal belongs to one field of the operation, and a batch
or a document with other fields still has their answers.
"""

from typing import Any

from strawberry import Info
from strawberry_django.auth.utils import get_current_user
from strawberry_django.fields.types import OperationInfo
from strawberry_django.permissions import HasPerm as StrawberryHasPerm

from core.authentication import KEYWORD

UNAUTHENTICATED = "Authentication credentials were not provided: send Authorization: Token …."
FORBIDDEN = "You do not have permission to perform this action."


class HasPerm(StrawberryHasPerm):
    def handle_no_permission(self, exception: BaseException, *, info: Info) -> Any:
        answer = super().handle_no_permission(exception, info=info)
        anonymous = not get_current_user(info).is_authenticated
        if isinstance(answer, OperationInfo):
            for message in answer.messages:
                message.code = "unauthenticated" if anonymous else "permission_denied"
                message.message = UNAUTHENTICATED if anonymous else FORBIDDEN
        if anonymous:
            info.context.response["WWW-Authenticate"] = KEYWORD
        return answer
