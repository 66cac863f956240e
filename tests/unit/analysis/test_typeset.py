"""The SNA report's PDF is typeset by Typst from the report's own HTML
(svduty.analysis.typeset): the structure is kept, text is data, the PDF is tagged."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import zlib

import pytest

from svduty.analysis.typeset import document_tree, typeset_pdf

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#1d70b8"/></svg>'  # noqa: E501
IMG = (
    '<img src="data:image/svg+xml;base64,'
    + base64.b64encode(SVG.encode()).decode()
    + '" alt="Chart of the table “Kinds”" width="200" height="100">'
)

HTML = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Strategic needs assessment: #set page(fill: red) [x], 2022-01 to 2022-11</title>
<meta name="author" content="Cleveland VRU"><meta name="description" content="About it">
<style>body {{ color: red }}</style></head><body><main>
<span class="govuk-caption-l">Cleveland VRU</span>
<h1>Strategic needs assessment</h1>
<p class="govuk-body">Numbers from 1 to 4 are   shown as
 “fewer than 5” — #strong[not markup] $x$ <b>bold</b>.</p>
<section><h2>Kinds and volume</h2>
<details class="govuk-details"><summary><span>What is an LSOA?</span></summary>
<div class="govuk-details__text">A small neighbourhood.</div></details>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden"><span>Warn</span>ing</span> Illustrative.</strong></div>
<figure class="app-sna-chart" aria-hidden="true">{IMG}</figure>
<table class="govuk-table"><caption class="govuk-table__caption">Serious violence by kind</caption>
<thead><tr><th scope="col">Kind</th><th scope="col" class="govuk-table__header--numeric">Records</th></tr></thead>
<tbody><tr><th scope="row">Robbery</th><td class="govuk-table__cell govuk-table__cell--numeric">815</td></tr>
<tr><th scope="row">Possession of weapons</th><td class="govuk-table__cell--numeric">fewer than 5</td></tr></tbody></table>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt>Source</dt><dd>data.police.uk</dd></div></dl>
<ul><li>January: 1.02</li><li>February: 0.98</li></ul>
</section></main></body></html>"""  # noqa: E501


def test_the_tree_keeps_the_structure_and_collapses_white_space():
    tree = document_tree(HTML)
    assert tree["title"].startswith("Strategic needs assessment: #set page")
    assert tree["author"] == "Cleveland VRU"
    assert tree["description"] == "About it"
    main = tree["body"][0]["c"][0]["c"][0]  # html > body > main
    kinds = [node["t"] for node in main["c"]]
    assert kinds == ["caption-l", "h1", "p", "section"]
    paragraph = main["c"][2]["c"]
    assert paragraph[0] == (
        "Numbers from 1 to 4 are shown as “fewer than 5” — #strong[not markup] $x$ "
    )
    assert paragraph[1] == {"t": "strong", "c": ["bold"]}
    section = main["c"][3]["c"]
    assert [node["t"] for node in section] == [
        "h2", "details", "warning", "figure", "table", "dl", "ul",
    ]  # fmt: skip
    # Words only for screen readers are left out; the style sheet is not text.
    assert section[2]["c"] == [{"t": "strong", "c": ["Illustrative."]}]
    image = section[3]["c"][0]
    assert image["svg"] == SVG and image["alt"] == "Chart of the table “Kinds”"
    table = section[4]
    body = [c for c in table["c"] if c["t"] == "tbody"][0]
    rows = [[cell for cell in row["c"]] for row in body["c"]]
    assert rows[0][0] == {"t": "th", "c": ["Robbery"]}
    assert rows[1][1] == {"t": "td", "c": ["fewer than 5"], "right": True}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_is_tagged_and_reads_as_the_html(tmp_path):
    pdf = typeset_pdf(HTML, footer="Snapshot 7")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    # Text is data: Typst markup in it is printed, not obeyed.
    assert "#strong[not markup] $x$" in flat
    for words in [
        "Strategic needs assessment",
        "Serious violence by kind",
        "Possession of weapons",
        "fewer than 5",
        "data.police.uk",
        "Page 1 of 1",
        "Snapshot 7",
    ]:
        assert words in flat, words
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert "Title:           Strategic needs assessment: #set page" in info


def test_the_pdf_has_the_structure_tags_of_the_html():
    pdf = typeset_pdf(HTML, footer="Snapshot 7")
    chunks = [pdf] + [
        zlib.decompress(stream)
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        if stream[:1] == b"x"
    ]
    data = b"".join(chunks)
    for tag in [b"/H1", b"/H2", b"/Table", b"/TH", b"/TD", b"/Figure", b"/L"]:
        assert tag in data, tag
    assert b"/StructTreeRoot" in data
    assert b"/Lang" in data


def test_the_renderers_warm_up_and_the_compiler_is_kept():
    # A web worker calls this when it starts (svduty.config.wsgi): it must work on
    # its own (a PDF/UA document needs a title), and leave the compiler loaded.
    from svduty.analysis import report, typeset

    typeset._COMPILER.clear()
    report.warm_renderers()
    assert len(typeset._COMPILER) == 1
    compiler = next(iter(typeset._COMPILER.values()))
    typeset.warm()
    assert next(iter(typeset._COMPILER.values())) is compiler


def test_the_warm_up_builds_the_table_of_url_names():
    """A worker's first report reverses links ({% url %}); Django builds its table of
    every URL's name on the first reverse (about 400 regular expressions, 0.26 s in a
    cProfile of a first report at load 7), so the warm-up does it, not the report."""
    from django.urls import clear_url_caches, get_resolver

    from svduty.analysis import report

    clear_url_caches()
    assert not get_resolver()._populated
    report.warm_renderers()
    assert get_resolver()._populated


def test_the_warm_up_document_has_a_title_in_the_pdf():
    """A worker's warm-up once logged Typst's "missing document title" at start:
    the warm-up document is typeset with its title (PDF/UA-1 requires one), in the
    document information and the XMP metadata that PDF/UA reads."""
    from svduty.analysis import typeset

    assert document_tree(typeset.WARM_HTML)["title"] == "svduty"
    pdf = typeset.warm()
    assert b"/Title(svduty)" in pdf
    assert re.search(rb"<dc:title>.*?>svduty</rdf:li>", pdf, re.S)
    assert b"/StructTreeRoot" in pdf


def test_a_document_without_a_title_is_refused_before_typst():
    from svduty.analysis.typeset import UntitledDocument

    with pytest.raises(UntitledDocument, match="needs the HTML's <title>"):
        typeset_pdf("<main><h1>No title</h1></main>", footer="")
