"""Imports that teach, through the admin's URLs: a sample file per model that imports back,
each column described on the import page, choices read by value or label in any case,
countries held to ISO 3166-1 alpha-2, each problem named by row and column, and any file the
import cannot read refused on the form, never with a traceback or a 5xx."""

import csv
import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actors.models import Actor, Stance
from events.models import Source

pytestmark = pytest.mark.django_db

MODELS = ["events_source", "actors_actor", "actors_stance"]
SOURCE_HEADER = "slug,name,kind,url,country,operator,needs_review\n"


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def _csv_format(client: Client, model: str) -> str:
    form = client.get(reverse(f"admin:{model}_import")).context["form"]
    return str(next(value for value, title in form.fields["format"].choices if title == "csv"))


def _upload(client: Client, model: str, body: bytes | str, name: str = "file.csv") -> Any:
    content = body.encode() if isinstance(body, str) else body
    response = client.post(
        reverse(f"admin:{model}_import"),
        {
            "import_file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "format": _csv_format(client, model),
            "resource": "0",
        },
    )
    assert response.status_code == 200, response.status_code
    return response


def _confirm(client: Client, model: str, preview: Any) -> None:
    confirm = preview.context["confirm_form"]
    assert confirm is not None, preview.context.get("problems")
    response = client.post(reverse(f"admin:{model}_process_import"), confirm.initial)
    assert response.status_code == 302


def _file_errors(response: Any) -> str:
    return " ".join(response.context["form"].errors.get("import_file", []))


def _problems(response: Any) -> list[str]:
    problems: list[str] = response.context["problems"]
    return problems


# The sample file ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_the_import_page_links_a_sample_that_imports_back(
    editor_client: Client, model: str
) -> None:
    page = editor_client.get(reverse(f"admin:{model}_import")).content.decode()
    sample_url = reverse(f"admin:{model}_import_sample")
    assert f'href="{sample_url}?resource=0"' in page
    response = editor_client.get(sample_url, {"resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    sample = response.content.decode()
    rows = list(csv.reader(io.StringIO(sample)))
    assert len(rows) >= 2  # a header and at least one example
    assert all(len(row) == len(rows[0]) for row in rows)
    preview = _upload(editor_client, model, sample)
    assert _problems(preview) == []
    assert preview.context["confirm_form"] is not None
    assert preview.context["result"].totals["new"] == len(rows) - 1


def test_the_source_sample_is_written_on_confirm(editor_client: Client) -> None:
    sample = editor_client.get(reverse("admin:events_source_import_sample")).content.decode()
    _confirm(editor_client, "events_source", _upload(editor_client, "events_source", sample))
    elysee = Source.objects.get(slug="elysee-press-office")
    assert (elysee.kind, elysee.country, elysee.operator.slug if elysee.operator else None) == (
        "official_statement",
        "FR",
        "emmanuel-macron",
    )


def test_the_stance_sample_is_written_on_confirm(editor_client: Client) -> None:
    sample = editor_client.get(reverse("admin:actors_stance_import_sample")).content.decode()
    before = Stance.objects.count()
    _confirm(editor_client, "actors_stance", _upload(editor_client, "actors_stance", sample))
    assert Stance.objects.count() == before + 1
    added = Stance.objects.latest("id")
    assert (added.actor.slug, added.status, added.valid_from.isoformat()) == (
        "united-kingdom",
        "proposed",
        "2025-09-04T18:00:00+00:00",
    )


def test_the_sample_is_behind_the_admin_login(client: Client) -> None:
    response = client.get(reverse("admin:events_source_import_sample"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# The columns described --------------------------------------------------------------------


def test_the_import_page_says_what_each_column_takes(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:events_source_import"))
    (guide,) = response.context["column_guides"]
    columns = {column.name: column for column in guide[1]}
    assert list(columns) == ["slug", "name", "kind", "url", "country", "operator", "needs_review"]
    assert [name for name, c in columns.items() if c.required] == ["slug", "name", "kind"]
    assert ("news_agency", "News agency") in columns["kind"].choices
    assert columns["operator"].takes == "the slug of an existing actor"
    assert "matches the row to change" in columns["slug"].takes
    assert "ISO 3166-1 alpha-2" in columns["country"].takes
    page = response.content.decode()
    assert "<code>news_agency</code> News agency" in page
    assert "the slug of an existing actor" in page


def test_the_stance_columns_give_the_datetime_format_in_utc(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:actors_stance_import"))
    columns = {column.name: column for column in response.context["column_guides"][0][1]}
    assert "UTC" in columns["valid_from"].takes
    assert "2025-09-04 16:20:00" in columns["valid_from"].takes
    assert columns["valid_from"].required
    assert not columns["valid_until"].required
    assert not columns["id"].required
    assert columns["evidence"].takes == "the id of an existing entry"
    assert ("verified", "Verified") in columns["status"].choices


# Choices by value or label, in any case ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Newspaper", "newspaper"),
        ("news agency", "news_agency"),
        ("News agency", "news_agency"),
        ("news_agency", "news_agency"),
        ("NEWS_AGENCY", "news_agency"),
        ("Social-media channel", "social_media"),
        ("  broadcaster ", "broadcaster"),
    ],
)
def test_a_choice_is_read_by_value_or_label_in_any_case(
    editor_client: Client, written: str, stored: str
) -> None:
    body = SOURCE_HEADER + f"new-outlet,New outlet,{written},,,,0\n"
    preview = _upload(editor_client, "events_source", body)
    _confirm(editor_client, "events_source", preview)
    assert Source.objects.get(slug="new-outlet").kind == stored


def test_the_same_choice_reading_serves_every_resource(editor_client: Client) -> None:
    body = "slug,name,kind\nmoldova,Moldova,Country\nnato-pa,NATO PA,International body\n"
    _confirm(editor_client, "actors_actor", _upload(editor_client, "actors_actor", body))
    kinds = dict(Actor.objects.filter(slug__in=["moldova", "nato-pa"]).values_list("slug", "kind"))
    assert kinds == {"moldova": "country", "nato-pa": "international_body"}


# Problems by row and column ---------------------------------------------------------------


def test_each_problem_names_its_row_and_column(editor_client: Client) -> None:
    body = (
        SOURCE_HEADER
        + "good-outlet,Good outlet,newspaper,,GB,,0\n"
        + "bad-kind,Bad kind,newspapr,,GB,,0\n"
        + "bad-country,Bad country,newspaper,,UK,,0\n"
        + "bad-operator,Bad operator,newspaper,,,nobody,maybe\n"
    )
    response = _upload(editor_client, "events_source", body)
    problems = _problems(response)
    assert problems[0].startswith("Row 3, column kind: “newspapr” is not one of: news_agency")
    assert "newspaper (Newspaper)" in problems[0]
    assert (
        "Row 4, column country: “UK” is not an ISO 3166-1 alpha-2 country code; " in (problems[1])
    )
    assert problems[1].endswith("did you mean GB?")
    assert "Row 5, column operator: No actor with the slug “nobody”." in problems
    assert "Row 5, column needs_review: “maybe” is not yes or no: write 1 or 0." in problems
    page = response.content.decode()
    for problem in problems:  # on the page itself, not behind a badge
        assert problem in page
    assert "validation-error-count" not in page
    assert response.context.get("confirm_form") is None
    assert not Source.objects.filter(slug="good-outlet").exists()


def test_a_lowercase_country_is_read_in_capitals(editor_client: Client) -> None:
    body = SOURCE_HEADER + "le-monde,Le Monde,newspaper,https://www.lemonde.fr,fr,,0\n"
    _confirm(editor_client, "events_source", _upload(editor_client, "events_source", body))
    assert Source.objects.get(slug="le-monde").country == "FR"


def test_a_datetime_that_is_not_one_says_how_to_write_it(editor_client: Client) -> None:
    sample = editor_client.get(reverse("admin:actors_stance_import_sample")).content.decode()
    body = sample.replace("2025-09-04 18:00:00", "4 Sept 6pm")
    problems = _problems(_upload(editor_client, "actors_stance", body))
    assert problems == [
        "Row 2, column valid_from: “4 Sept 6pm” is not a date and time: write it as "
        "2025-09-04 16:20:00 (UTC) or with its offset, 2025-09-04T18:20:00+02:00."
    ]


def test_an_id_that_is_not_a_number_is_named(editor_client: Client) -> None:
    sample = editor_client.get(reverse("admin:actors_stance_import_sample")).content.decode()
    header, row = sample.splitlines()
    response = _upload(editor_client, "actors_stance", f"{header}\nabc{row}\n")
    assert _problems(response) == ["Row 2: “abc” is not a whole number."]
    assert "Traceback" not in response.content.decode()


def test_an_iso_datetime_with_its_offset_is_read(editor_client: Client) -> None:
    sample = editor_client.get(reverse("admin:actors_stance_import_sample")).content.decode()
    body = sample.replace("2025-09-04 18:00:00", "2025-09-04T20:00:00+02:00")
    _confirm(editor_client, "actors_stance", _upload(editor_client, "actors_stance", body))
    assert Stance.objects.latest("id").valid_from.isoformat() == "2025-09-04T18:00:00+00:00"


# Files the import cannot read -------------------------------------------------------------


def test_a_file_without_the_slug_column_is_refused_by_name(editor_client: Client) -> None:
    response = _upload(editor_client, "events_source", "name,kind\nReuters,news_agency\n")
    assert _file_errors(response) == (
        "The file has no column slug (needed to match rows); the columns are: name, kind."
    )
    assert "Traceback" not in response.content.decode()


def test_a_file_without_a_required_column_is_refused_by_name(editor_client: Client) -> None:
    response = _upload(editor_client, "actors_actor", "slug,name\nmoldova,Moldova\n")
    assert "The file has no column kind (required); the columns are: slug, name." in (
        _file_errors(response)
    )
    assert not Actor.objects.filter(slug="moldova").exists()


def test_headers_are_read_in_any_case_or_spacing(editor_client: Client) -> None:
    body = "Slug, Name ,KIND,needs review,Operater\nbbc-radio,BBC Radio,Broadcaster,0,x\n"
    preview = _upload(editor_client, "events_source", body)
    assert preview.context["ignored_columns"] == ["Operater"]
    assert "Not imported, since no field has these names: <code>Operater</code>." in (
        preview.content.decode()
    )
    _confirm(editor_client, "events_source", preview)
    assert Source.objects.get(slug="bbc-radio").kind == "broadcaster"


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        ("slug,name,kind\nmunchen,München,country\n".encode("latin-1"), "not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not CSV text"),
        (_xlsx(), "a spreadsheet workbook (XLSX or ODS), not CSV text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (XLS)"),
        (b"slug,name,kind,kind\nx,X,person,person\n", "The column kind appears more than once"),
        (b"slug,name,kind\nx,X\ny,Y,person,extra\n", "more or fewer cells than the header"),
        (b",,\nx,X,person\n", "The file has no header row"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "bom-only",
        "latin-1",
        "png",
        "xlsx-renamed",
        "xls-renamed",
        "duplicate-headers",
        "ragged-rows",
        "no-header",
    ],
)
def test_a_file_the_import_cannot_read_is_a_form_error(
    editor_client: Client, body: bytes, expected: str
) -> None:
    response = _upload(editor_client, "actors_actor", body)
    assert expected in _file_errors(response)
    assert response.context.get("result") is None
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_no_hostile_file_is_a_5xx_on_any_import(editor_client: Client, model: str) -> None:
    hostile: list[bytes | str] = [
        b"",
        b"\x00\x01\x02\xff\xfe",
        _xlsx(),
        b"id,id,slug\n1,2,x\n",
        b'"unterminated,quote\n',
        "slug,name,kind\n" + "x" * 100_000 + ",X,person\n",
        b"\xff\xfeslug,name\n",
        b"slug;name;kind\nx;X;person\n",
    ]
    for body in hostile:
        response = _upload(editor_client, model, body)
        assert response.status_code == 200
        assert "Traceback" not in response.content.decode()


def test_confirming_an_import_twice_says_so_instead_of_failing(editor_client: Client) -> None:
    body = SOURCE_HEADER + "twice,Twice,newspaper,,,,0\n"
    preview = _upload(editor_client, "events_source", body)
    confirm = preview.context["confirm_form"].initial
    url = reverse("admin:events_source_process_import")
    assert editor_client.post(url, confirm).status_code == 302
    again = editor_client.post(url, confirm, follow=True)
    assert again.status_code == 200
    assert "imported already" in again.content.decode()
    assert Source.objects.filter(slug="twice").count() == 1


@pytest.mark.parametrize(
    "tampered",
    [{"format": "99"}, {"format": "csv"}, {"resource": "7"}, {"import_file_name": "../../passwd"}],
)
def test_an_altered_confirmation_is_refused_without_a_5xx(
    editor_client: Client, tampered: dict[str, str]
) -> None:
    body = SOURCE_HEADER + "altered,Altered,newspaper,,,,0\n"
    confirm = _upload(editor_client, "events_source", body).context["confirm_form"].initial
    response = editor_client.post(
        reverse("admin:events_source_process_import"), {**confirm, **tampered}, follow=True
    )
    assert response.status_code == 200
    assert not Source.objects.filter(slug="altered").exists()
