"""An admin form as the browser would send it back: what the page served, unchanged."""

from typing import Any

from lxml import html


def form_data(page: bytes, form_id: str) -> dict[str, Any]:
    form = html.fromstring(page.decode()).get_element_by_id(form_id)
    data: dict[str, Any] = {}
    for field in form.iter("input", "select", "textarea"):
        name = field.get("name")
        # An inline's template row (`__prefix__`) is sent too, and ignored: left out here.
        if not name or "__prefix__" in name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") == "checkbox":
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        elif field.tag == "select":
            chosen = [o.get("value") for o in field.iter("option") if o.get("selected") is not None]
            if chosen:
                data[name] = chosen if field.get("multiple") is not None else chosen[0]
        elif field.tag == "textarea":
            data[name] = (field.text or "").removeprefix("\n")  # as a browser reads it
        else:
            data[name] = field.get("value", "")
    return data


def fields(page: bytes, form_id: str) -> list[tuple[str, str]]:
    """Each named field of the form with its kind (`text`, `select`, `textarea`, `number`…),
    management and hidden fields included."""
    form = html.fromstring(page.decode()).get_element_by_id(form_id)
    found = []
    for field in form.iter("input", "select", "textarea"):
        name = field.get("name")
        kind = field.get("type", "text") if field.tag == "input" else field.tag
        if name and kind not in ("submit", "button", "file"):
            found.append((name, kind))
    return found


def select_options(page: bytes, name: str) -> list[tuple[str, str]]:
    """The (value, label) choices of the select named `name`."""
    (select,) = html.fromstring(page.decode()).xpath(f"//select[@name='{name}']")
    return [(o.get("value"), o.text_content().strip()) for o in select.iter("option")]
