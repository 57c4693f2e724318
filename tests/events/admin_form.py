"""What a browser would send for an admin change form as it was served."""

from typing import Any

from lxml import html


def form_data(page: bytes, form_id: str) -> dict[str, Any]:
    """Every field of the form with its served value, as a browser submits it unchanged."""
    form = html.fromstring(page).get_element_by_id(form_id)
    data: dict[str, Any] = {}
    for field in form.iter("input", "select", "textarea"):
        name = field.get("name")
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
            data[name] = field.text or ""
        else:
            data[name] = field.get("value", "")
    return data


def select_options(page: bytes, name: str) -> list[tuple[str, str]]:
    """The (value, label) choices of the select named `name`."""
    (select,) = html.fromstring(page).xpath(f"//select[@name='{name}']")
    return [(o.get("value"), o.text_content().strip()) for o in select.iter("option")]
