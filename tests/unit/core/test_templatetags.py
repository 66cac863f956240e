"""The govuk template builtins: suppression (convention 9), dates, tags, pagination."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from svduty.core.templatetags.govuk import (
    _page_numbers,
    govuk_date,
    govuk_datetime,
    suppressed,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, 0),
        (1, "fewer than 5"),
        (4, "fewer than 5"),
        (5, 5),
        (1234, 1234),
        ("3", "fewer than 5"),
    ],
)
def test_suppressed_hides_counts_from_1_to_4(value, shown):
    assert suppressed(value) == shown


@pytest.mark.parametrize("value", [None, "", "not recorded", True])
def test_suppressed_leaves_non_numbers_alone(value):
    assert suppressed(value) == value


def test_suppressed_follows_the_setting(settings):
    settings.SUPPRESSION_THRESHOLD = 9
    assert suppressed(9) == "fewer than 10"
    assert suppressed(10) == 10


def test_suppressed_in_a_template():
    html = Template(
        "{{ a|suppressed }}/{{ b|suppressed }}/{{ c|suppressed|govuk_number }}"
    ).render(Context({"a": 3, "b": 0, "c": 12000}))
    assert html == "fewer than 5/0/12,000"


def test_govuk_date_format():
    assert govuk_date(dt.date(2026, 11, 27)) == "27 November 2026"
    assert govuk_date(None) == ""
    html = Template("{% govuk_date d %}").render(Context({"d": dt.date(2026, 3, 1)}))
    assert html == "1 March 2026"


def test_govuk_date_with_time_is_24_hour():
    value = dt.datetime(2026, 11, 27, 14, 5)
    assert govuk_date(value, True) == "27 November 2026 at 14:05"
    assert govuk_date(value.replace(hour=9, minute=0), True) == (
        "27 November 2026 at 09:00"
    )


def test_govuk_date_writes_what_the_date_format_gives():
    # govuk_date writes the text itself (speed, issue 15): it must stay exactly
    # what Django's "j F Y" and LONG_DATETIME formats give, in every month, for
    # single- and double-digit days and hours, aware (London, both sides of the
    # clock change) and naive, and in another active language.
    from django.utils import timezone, translation
    from django.utils.dateformat import format as date_format

    from svduty.core.templatetags.govuk import LONG_DATETIME

    start = dt.datetime(2025, 12, 31, 23, 7, tzinfo=dt.UTC)
    values = [start + dt.timedelta(days=n, hours=7 * n) for n in range(0, 400, 3)]
    values += [dt.datetime(999, 1, 2, 3, 4), dt.datetime(2026, 3, 29, 0, 59)]
    for language in ("en-gb", "fr"):
        with translation.override(language):
            for value in values:
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                assert govuk_date(value, True) == date_format(local, LONG_DATETIME)
                assert govuk_date(value) == date_format(local.date(), "j F Y")
                assert govuk_date(local.date()) == date_format(local.date(), "j F Y")


def test_govuk_datetime_styles():
    value = dt.datetime(2026, 11, 27, 14, 5, 9)
    assert govuk_datetime(value) == "27 November 2026 at 14:05"
    assert govuk_datetime(value, "short") == "27 Nov 2026, 14:05"
    assert govuk_datetime(value, "seconds") == "27 Nov 2026, 14:05:09"
    assert govuk_datetime(None) == ""
    assert govuk_datetime(dt.date(2026, 3, 1)) == "1 March 2026"
    html = Template('{{ none|govuk_datetime|default:"Never" }}').render(Context())
    assert html == "Never"


def test_unformatted_dates_and_times_follow_the_platform_style():
    """Django's en-GB locale would show "27 Nov 2026, 2:05 p.m."; the platform's
    format module keeps the GOV.UK date and the 24-hour clock."""
    value = dt.datetime(2026, 11, 27, 14, 5)
    html = Template("{{ v }}|{{ v|date }}|{{ v|time }}|{{ d }}").render(
        Context({"v": value, "d": value.date()})
    )
    assert html == "27 November 2026, 14:05|27 November 2026|14:05|27 November 2026"


def test_govuk_tag_colours():
    render = lambda src: Template(src).render(Context())  # noqa: E731
    assert (
        render('{% govuk_tag "Overdue" %}')
        == '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    )
    assert render('{% govuk_tag "Anything" "green" %}') == (
        '<strong class="govuk-tag govuk-tag--green">Anything</strong>'
    )
    assert render('{% govuk_tag "New" %}') == '<strong class="govuk-tag">New</strong>'
    escaped = Template("{% govuk_tag text %}").render(Context({"text": "<b>x</b>"}))
    assert escaped == '<strong class="govuk-tag">&lt;b&gt;x&lt;/b&gt;</strong>'
    with pytest.raises(TemplateSyntaxError):
        render('{% govuk_tag "Open" "magenta" %}')


def test_page_numbers_with_ellipses():
    assert _page_numbers(1, 1) == [1]
    assert _page_numbers(1, 3) == [1, 2, 3]
    assert _page_numbers(5, 20) == [1, None, 4, 5, 6, None, 20]
    assert _page_numbers(20, 20) == [1, None, 19, 20]


def test_pagination_keeps_the_query_string():
    request = RequestFactory().get("/cases/", {"status": "open", "page": "2"})
    page = Paginator(list(range(95)), 10).page(2)
    html = Template("{% pagination page %}").render(
        Context({"page": page, "request": request})
    )
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?status=open&amp;page=1" rel="prev"' in html
    assert 'href="?status=open&amp;page=3" rel="next"' in html
    assert 'aria-current="page">2</a>' in html


def test_pagination_renders_nothing_for_one_page():
    page = Paginator([1, 2], 10).page(1)
    assert (
        Template("{% pagination page %}").render(Context({"page": page})).strip() == ""
    )


def test_govuk_short_date_writes_what_the_date_format_gives():
    # One function for the tables built in Python (case list, place, service):
    # exactly Django's "j M Y", every month, in two languages.
    from django.utils import translation
    from django.utils.dateformat import format as date_format

    from svduty.core.templatetags.govuk import govuk_short_date

    days = [dt.date(2025, 12, 31) + dt.timedelta(days=n) for n in range(0, 400, 7)]
    days.append(dt.date(999, 5, 1))  # "Y" pads the year to four digits
    for language in ("en-gb", "fr"):
        with translation.override(language):
            for day in days:
                assert govuk_short_date(day) == date_format(day, "j M Y"), day
