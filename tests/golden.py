"""Golden pages: a page's own HTML saved from known-good code and compared with
what the code now gives (the place, service and case pages made cheaper in issue 15
must not change what anyone sees). ``SVDUTY_UPDATE_GOLDEN=1`` writes them afresh."""

from __future__ import annotations

import os
import re
from pathlib import Path

NUMBER = re.compile(r"\d+")
HREF = re.compile(r'href="([^"]*)"')


def page_body(html: str) -> str:
    """The page's own part: the title, and everything between header and footer."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    body = html[html.index("</header>") : html.index('<footer class="govuk-footer"')]
    tokens: dict[str, dict[str, int]] = {}

    def href(match: re.Match[str]) -> str:
        # Each number is named by where it stands ("/places/#/children/#" has two
        # kinds of id): ids of different tables may be equal in one run only.
        link, shape, out, start = match.group(1), "", "", 0
        for number in NUMBER.finditer(link):
            shape += link[start : number.start()]
            out += link[start : number.start()]
            kind = tokens.setdefault(shape, {})
            out += f"#{kind.setdefault(number.group(0), len(kind) + 1)}"
            shape += "#"
            start = number.end()
        return f'href="{out + link[start:]}"'

    body = HREF.sub(href, body)
    return f"<title>{title.group(1).strip() if title else ''}</title>\n{body}"


def check(folder: Path, name: str, response) -> None:
    """`response`'s page body equals the one saved as `folder`/`name`.html."""
    assert response.status_code == 200
    got = page_body(response.content.decode())
    path = folder / f"{name}.html"
    if os.environ.get("SVDUTY_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got)
    assert got == path.read_text(), f"{name}: the page differs from {path}"
