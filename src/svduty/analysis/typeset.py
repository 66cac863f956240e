"""The SNA report's HTML typeset as a tagged PDF (PDF/UA-1) by Typst.

Why not WeasyPrint (ADR D12) for this one report: the report carries every
neighbourhood (about 4,000 table cells for Cleveland, 30 or more pages), and
WeasyPrint spends close to a millisecond of CPU on each cell (style, layout, text,
tagging): 4-5 s of CPU however the HTML is trimmed, against a target of 2 s
(issue 15 point 3, issue 16 point 8). Typst lays out the same document in a small
fraction of that, with the same structure tags.

The report's content is still written once, by the Django template
``analysis/report_pdf.html`` that the HTML report also uses: this module parses the
rendered HTML into a small tree of blocks and inline runs (headings, paragraphs,
lists, tables with their header rows, term lists, figures with alternative text)
and hands it to ``templates/analysis/report.typ`` as JSON. Text reaches Typst as
data (``sys.inputs``), never as markup, so nothing in a name or a label can
change the document's structure.

What tagged PDF loses against the HTML: a table's row headers (the first column,
``<th scope="row">``) are tagged as data cells, because Typst's row-header
tagging still needs a feature flag; they stay bold.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "analysis"

#: Elements that start a block; everything else is inline (its text flows).
BLOCKS = {
    "main", "section", "div", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "details", "summary", "img", "body", "html",
}  # fmt: skip
#: Blocks whose content is one run of text (a paragraph of their own).
LEAVES = {"p", "h1", "h2", "h3", "h4", "dt", "dd", "th", "td", "caption", "summary",
          "figcaption"}  # fmt: skip
VOID = {"img", "br", "meta", "link", "hr", "input"}
SKIP = {"head", "script", "style", "template"}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_DATA_SVG = "data:image/svg+xml;base64,"


class _Tree(HTMLParser):
    """HTML -> nested dicts {"t": tag, "k": kind, "c": children}, text as str."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict = {"t": "body", "c": []}
        self.stack = [self.root]
        self.skipping = 0
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "title":
            self.in_title = True
            return
        if tag == "meta" and attributes.get("name"):
            self.meta[attributes["name"]] = attributes.get("content", "")
        if tag in SKIP:
            self.skipping += 1
            return
        if self.skipping:
            if self.stack[-1]["t"] == "hidden" and tag not in VOID:
                self.stack[-1]["depth"] += 1
            return
        classes = attributes.get("class", "")
        if tag == "span" and (
            "govuk-visually-hidden" in classes
            or attributes.get("aria-hidden") == "true"
        ):
            # Words for screen readers beside something a sighted reader sees (the
            # PDF's structure tags carry their meaning), or an icon beside words.
            self.skipping += 1
            self.stack.append({"t": "hidden", "c": [], "depth": 0})
            return
        node: dict = {"t": tag, "c": []}
        if tag == "img":
            src = attributes.get("src", "")
            if src.startswith(_DATA_SVG):
                node["svg"] = base64.b64decode(src[len(_DATA_SVG) :]).decode()
            node["alt"] = attributes.get("alt", "")
            node["w"] = attributes.get("width", "")
        if "--numeric" in classes:
            node["right"] = True
        if tag == "figure" and attributes.get("aria-hidden") == "true":
            node["hidden"] = True
        if "govuk-warning-text" in classes.split():
            node["t"] = "warning"
        if "govuk-caption-l" in classes:
            node["t"] = "caption-l"
        if tag == "div" and "summary-list__row" in classes:
            node["t"] = "term"
        self.stack[-1]["c"].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in SKIP:
            self.skipping -= 1
            return
        if self.stack[-1]["t"] == "hidden":
            if self.stack[-1]["depth"]:
                self.stack[-1]["depth"] -= 1
            elif tag == "span":
                self.stack.pop()
                self.skipping -= 1
            return
        if self.skipping or tag in VOID:
            return
        # Close up to the matching element (HTML allows some end tags to be left out).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth]["t"] == tag or _renamed(self.stack[depth], tag):
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skipping:
            return
        self.stack[-1]["c"].append(data)


def _renamed(node: dict, tag: str) -> bool:
    return (node["t"], tag) in {
        ("warning", "div"),
        ("caption-l", "span"),
        ("term", "div"),
    }


def _inline(children: list) -> list:
    """An inline run: text with collapsed white space, strong/em spans, breaks."""
    out: list = []
    for child in children:
        if isinstance(child, str):
            text = _SPACE.sub(" ", child)
            if text:
                if out and isinstance(out[-1], str):
                    out[-1] += text
                else:
                    out.append(text)
        elif child["t"] == "br":
            out.append({"t": "br"})
        else:
            inner = _inline(child["c"])
            if child["t"] in {"strong", "b"}:
                out.append({"t": "strong", "c": inner})
            elif child["t"] in {"em", "i"}:
                out.append({"t": "em", "c": inner})
            else:
                for item in inner:
                    if isinstance(item, str) and out and isinstance(out[-1], str):
                        out[-1] += item
                    else:
                        out.append(item)
    # White space at the start and end of a run is not shown.
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return [item for item in out if item != ""]


def _is_block(node) -> bool:
    return isinstance(node, dict) and (
        node["t"] in BLOCKS or node["t"] in {"warning", "caption-l", "term"}
    )


def _blocks(children: list) -> list:
    """Block children; runs of inline content between them become paragraphs."""
    out: list = []
    run: list = []

    def flush():
        text = _inline(run)
        if text:
            out.append({"t": "p", "c": text})
        run.clear()

    for child in children:
        if _is_block(child):
            flush()
            out.append(_normal(child))
        else:
            run.append(child)
    flush()
    return out


def _normal(node: dict) -> dict:
    tag = node["t"]
    if tag == "img":
        return {k: v for k, v in node.items() if k != "c"}
    if tag in LEAVES or tag in {"caption-l", "warning"}:
        if tag in {"th", "td"} and any(_is_block(c) for c in node["c"]):
            return {**node, "c": _blocks(node["c"]), "blocks": True}
        return {**node, "c": _inline(node["c"])}
    return {**node, "c": _blocks(node["c"])}


def document_tree(html: str) -> dict:
    """The report's HTML as the JSON document report.typ lays out."""
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return {
        "title": _SPACE.sub(" ", "".join(parser.title)).strip(),
        "author": parser.meta.get("author", ""),
        "description": parser.meta.get("description", ""),
        "body": _blocks(parser.root["c"]),
    }


def _font_paths() -> list[str]:
    return [path for path in settings.PDF_FONT_DIRS if Path(path).is_dir()]


_COMPILER: dict[tuple[str, ...], Any] = {}
_COMPILER_LOCK = threading.Lock()


def _compiler():
    """One Typst compiler per process (and font folders), made on first use.

    Making one loads the fonts; keeping it keeps them loaded, and Typst's own
    memoisation reuses the layout of what did not change (the same figures in a
    second partnership's report). Reports are typeset one at a time per process
    (the caller holds ``_COMPILER_LOCK``): the compiler is not shared between
    threads."""
    import typst

    fonts = _font_paths()
    key = tuple(fonts)
    if key not in _COMPILER:
        # The font folders named in settings only (no scan of every system font,
        # which costs more than laying out the report) when they exist.
        _COMPILER[key] = typst.Compiler(
            root=str(TEMPLATE), font_paths=fonts, ignore_system_fonts=bool(fonts)
        )
    return _COMPILER[key]


#: The warm-up's document: a PDF/UA-1 document must have a title (Typst refuses
#: one without: "missing document title"), so this one has a title, as every
#: report has.
WARM_HTML = (
    '<html lang="en-GB"><head><title>svduty</title>'
    '<meta name="author" content="svduty"></head>'
    "<body><main><h1>svduty</h1><p>Ready.</p></main></body></html>"
)


def warm() -> bytes:
    """Load the fonts and typeset a one-line document, so that the first report of
    a web worker does not pay for them (`svduty.config.wsgi` calls this in a
    background thread when a worker starts). Returns the PDF (for the tests)."""
    return typeset_pdf(WARM_HTML, footer="svduty")


class UntitledDocument(ValueError):
    """PDF/UA-1 needs a document title, and the HTML had no <title>."""


def typeset_pdf(html: str, *, footer: str) -> bytes:
    """The HTML of a report as a tagged PDF/UA-1, laid out by Typst."""
    tree = document_tree(html)
    if not tree["title"]:
        # Said here, before Typst, whose "missing document title" names no caller.
        raise UntitledDocument("A tagged PDF (PDF/UA-1) needs the HTML's <title>")
    tree["footer"] = footer
    with _COMPILER_LOCK:
        pdf = _compiler().compile(
            input=str(TEMPLATE / "report.typ"),
            format="pdf",
            sys_inputs={"document": json.dumps(tree)},
            pdf_standards=["ua-1"],
        )
    if not isinstance(pdf, bytes):  # a list only for one image per page (PNG, SVG)
        raise TypeError("Typst gave no single PDF")
    return pdf
