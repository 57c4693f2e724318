"""The admin's lists, as an editor reads them."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changelist",
    [
        "/admin/actors/stance/",
        "/admin/events/entry/",
        "/admin/events/citation/",
        "/admin/actors/mention/",
        "/admin/actors/membership/",
    ],
)
def test_no_two_list_filters_share_a_title(desk: Client, changelist: str) -> None:
    response = desk.get(changelist)

    titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert len(titles) == len(set(titles)), titles
