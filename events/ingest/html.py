"""Saved HTML pages. What a page states for machines wins over what it shows people:
schema.org LiveBlogPosting JSON-LD first, then `<time datetime>` in each update, then visible
clock times with the page's zone and date. Page chrome (navigation, share links, comment
policy, players) and photo credits and captions are dropped."""

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from .clock import parse_clock, parse_date, parse_iso, to_utc, zone_named
from .page import PageError, ParsedEntry, ParsedPage
from .text import ENDED, shape_entry

CHROME = (
    "//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//iframe|//svg"
    "|//figcaption|//figure|//*[contains(@class, 'share')]|//*[contains(@class, 'caption')]"
    "|//*[contains(@class, 'credit')]|//*[contains(@class, 'comments')]"
    "|//*[contains(@class, 'player')]"
)
BLOCKS = (
    "ancestor::*[self::article or contains(@class, 'entry') or contains(@class, 'update')"
    " or contains(@class, 'post')][1]"
)
TEXT_TAGS = {"p", "h2", "h3", "h4", "blockquote", "li"}


def parse_html(text: str, tz: str | None = None) -> ParsedPage:
    try:
        root = lxml_html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise PageError(f"The HTML cannot be parsed: {error}") from None
    blog = _live_blog_posting(root)
    for element in root.xpath(CHROME):
        element.drop_tree()
    if blog and blog.get("liveBlogUpdate"):
        return _from_json_ld(blog, root)
    return _from_markup(root, blog or {}, tz)


def _json_ld_objects(root: _Element) -> Iterator[dict[str, Any]]:
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                yield item
                stack.extend(item.get("@graph", []))


def _live_blog_posting(root: _Element) -> dict[str, Any] | None:
    for item in _json_ld_objects(root):
        kinds = item.get("@type", [])
        if "LiveBlogPosting" in (kinds if isinstance(kinds, list) else [kinds]):
            return item
    return None


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name", ""))
    return str(value or "")


def _from_json_ld(blog: dict[str, Any], root: _Element) -> ParsedPage:
    updates = blog["liveBlogUpdate"]
    entries = []
    for update in updates if isinstance(updates, list) else [updates]:
        stamp = parse_iso(str(update.get("datePublished", "")))
        body = str(update.get("articleBody") or update.get("text") or "").strip()
        if stamp is None or not body:
            continue
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
        shaped, credit = shape_entry(paragraphs)
        headline = " ".join(str(update.get("headline", "")).split())
        if shaped and headline == shaped[0]:
            headline = ""
        entries.append(ParsedEntry(stamp, shaped, headline=headline, credit=credit))
    if not entries:
        raise PageError("The page's liveBlogUpdate entries have no dates or text.")
    return ParsedPage(
        title=" ".join(str(blog.get("headline") or _title(root)).split()),
        standfirst=" ".join(str(blog.get("description", "")).split()),
        entries=entries,
        opened_at=parse_iso(str(blog.get("coverageStartTime", ""))),
        ended=bool(blog.get("coverageEndTime")),
        url=str(blog.get("url", "")),
        publisher=_name(blog.get("publisher")),
        language=str(blog.get("inLanguage") or root.get("lang") or "en")[:16],
    )


def _title(root: _Element) -> str:
    for path in ("//h1", "//title", "//meta[@property='og:title']/@content"):
        found = root.xpath(path)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            if value.strip():
                return " ".join(value.split())
    raise PageError("No title found.")


def _paragraphs(block: _Element) -> list[str]:
    paragraphs = []
    for element in block.iter():
        if not isinstance(element.tag, str) or element.tag not in TEXT_TAGS:
            continue
        text = " ".join(element.text_content().split())
        if not text:
            continue
        paragraphs.append(f"## {text}" if element.tag in ("h2", "h3", "h4") else text)
    return paragraphs


def _from_markup(root: _Element, blog: dict[str, Any], tz: str | None) -> ParsedPage:
    """Each `<time>` inside an update block opens that block's entry."""
    zone = zone_named(tz) if tz else None
    page_day = _page_day(root, blog)
    entries: list[ParsedEntry] = []
    for stamp_element in root.xpath("//time"):
        blocks = stamp_element.xpath(BLOCKS)
        if not blocks:
            continue
        published = _when(stamp_element, page_day, zone)
        block = blocks[0]
        stamp_element.drop_tree()
        paragraphs = [p for p in _paragraphs(block) if not p.startswith("## ") or len(p) > 3]
        headline = ""
        if paragraphs and paragraphs[0].startswith("## "):
            headline, paragraphs = paragraphs[0][3:], paragraphs[1:]
        shaped, credit = shape_entry(paragraphs)
        if shaped:
            entries.append(ParsedEntry(published, shaped, headline=headline, credit=credit))
    if not entries:
        raise PageError("No timestamped entries found: is this a live blog?")
    summary_text = root.xpath("//meta[@name='description']/@content")
    ended = any(
        ENDED.match(" ".join(e.text_content().split())) for e in root.xpath("//p|//div[not(*)]")
    )
    return ParsedPage(
        title=_title(root),
        standfirst=" ".join(summary_text[0].split()) if summary_text else "",
        entries=entries,
        ended=ended,
        url=(root.xpath("//link[@rel='canonical']/@href") or [""])[0],
        language=(root.get("lang") or "en")[:16],
    )


def _page_day(root: _Element, blog: dict[str, Any]) -> datetime | None:
    for value in [
        blog.get("datePublished", ""),
        *root.xpath("//meta[@property='article:published_time']/@content"),
    ]:
        if stamp := parse_iso(str(value)):
            return stamp
    return None


def _when(element: _Element, page_day: datetime | None, zone: Any) -> datetime:
    attribute = element.get("datetime", "")
    if stamp := parse_iso(attribute):
        return stamp
    text = " ".join(element.text_content().split())
    clock = parse_clock(text)
    day = parse_date(attribute) or (page_day.date() if page_day else None)
    if clock is None or day is None:
        raise PageError(f"Cannot tell when the entry stamped {text or attribute!r} was published.")
    return to_utc(day, clock, zone)
