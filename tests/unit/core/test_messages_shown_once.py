"""base.html shows the flash messages for every page. A page template that includes
them again shows each banner twice, with the same element ids twice (an axe failure)."""

from pathlib import Path

import svduty

TEMPLATES = Path(svduty.__file__).parent / "templates"


def test_only_the_base_template_shows_messages():
    including = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if 'include "includes/messages.html"' in path.read_text(encoding="utf-8")
    )
    assert including == ["base.html"]
