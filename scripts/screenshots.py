"""Screenshots of each demo role's home page and of the SNA dashboard, at a phone
width (390 px) and a desktop width (1280 px), for docs/ (issue 16).

Run against a demo installation that is being served (`make demo` in another
terminal):

    .venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000]
        [--out docs/screenshots] [--chromium /usr/bin/chromium]

It signs in as each demo user (MFA is off in the demo), saves full-page PNGs named
`<role>-<page>-<width>.png` and writes `index.md` listing them. Nothing is fetched
from the internet: the browser is Debian's chromium driven by Playwright.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the demo's published password
WIDTHS = (390, 1280)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (sign-in name, what to call the role, pages as (name, path)). A path with a
# " -> " and a regular expression is a list page: the picture is of the first link
# on it whose address matches (a record's page, whose id the demo does not fix).
ROLES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("lead", "partnership-lead", [("home", "/")]),
    (
        "analyst",
        "analyst",
        [("home", "/"), ("sna-dashboard", "/analysis/middlesbrough/")],
    ),
    (
        "practitioner",
        "practitioner",
        [
            ("home", "/"),
            ("my-cases", "/children/"),
            ("child", r"/children/ -> ^/children/\d+/$"),
            ("places", "/places/"),
            ("place", r"/places/ -> ^/places/\d+/$"),
            ("services", "/services/"),
            ("service", r"/services/ -> ^/services/\d+/$"),
            ("meeting", r"/meetings/ -> ^/meetings/\d+/$"),
        ],
    ),
    ("manager", "team-manager", [("home", "/"), ("referrals", "/children/referrals/")]),
    (
        "svro",
        "svro-officer",
        [("home", "/"), ("order", r"/svro/ -> ^/svro/orders/\d+/$")],
    ),
    ("auditor", "auditor", [("home", "/"), ("audit-trail", "/audit/")]),
    ("admin", "administrator", [("home", "/")]),
]


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise SystemExit(
            f"Could not sign in as {username}: is the demo loaded and served with "
            "MFA off (make demo)?"
        )


def first_record(page, base_url: str, path: str) -> str:
    """`path` itself, or for "list -> pattern" the first matching link on the list."""
    if " -> " not in path:
        return path
    list_path, pattern = path.split(" -> ")
    page.goto(base_url + list_path)
    hrefs = page.eval_on_selector_all(
        "main a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    for href in hrefs:
        if re.match(pattern, href):
            return href
    raise SystemExit(f"No link matching {pattern} on {list_path}: is the demo loaded?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument(
        "--chromium", default=os.environ.get("SVDUTY_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    written: list[tuple[str, str, int, str]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
        )
        for username, role, pages in ROLES:
            # One browser session per role: sign in once, then every page and width.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(120_000)
            sign_in(page, base_url, username)
            for name, path in pages:
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.goto(base_url + first_record(page, base_url, path))
                    page.wait_for_load_state("networkidle")
                    file = args.out / f"{role}-{name}-{width}.png"
                    # Home pages whole; long pages (the SNA dashboard runs to tens of
                    # thousands of pixels) by their first screens, to keep docs/ small.
                    page.screenshot(path=str(file), full_page=name == "home")
                    written.append((role, name, width, file.name))
                    print(f"wrote {file}")
            context.close()
        browser.close()

    lines = [
        "# Screenshots",
        "",
        "Made by `scripts/screenshots.py` from the demo installation (synthetic "
        "people only); run it again to bring them up to date.",
        "",
        "| Role | Page | Width | File |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {role} | {name} | {width} px | [{file}]({file}) |"
        for role, name, width, file in written
    ]
    (args.out / "index.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
