"""fast_reverse gives exactly what django.urls.reverse gives (issue 15: pages
reverse dozens of id addresses; the fast path must never change one)."""

from __future__ import annotations

import contextlib

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from svduty.core import reversing
from svduty.core.reversing import fast_reverse


def _named_routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.pattern.converters


ROUTES = dict(_named_routes())
ID_ROUTES = [
    name
    for name, converters in sorted(ROUTES.items())
    if converters and all(isinstance(c, IntConverter) for c in converters.values())
]


def test_the_project_has_id_routes_to_check():
    assert len(ID_ROUTES) > 50


@pytest.mark.parametrize("name", ID_ROUTES)
def test_every_id_route_reverses_as_django_does(name):
    count = len(ROUTES[name])
    for ids in (
        [0] * count,
        [7] * count,
        list(range(41, 41 + count)),
        [10**12] * count,
    ):
        try:
            expected = reverse(name, args=ids)
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                fast_reverse(name, ids)
            continue
        assert fast_reverse(name, ids) == expected


def test_other_arguments_go_to_reverse(monkeypatch):
    calls = []
    real = reversing.reverse

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(reversing, "reverse", spy)
    name = ID_ROUTES[0]
    count = len(ROUTES[name])
    # A string, a negative number, a bool: not the fast path.
    for args in (["5"] * count, [-3] * count, [True] * count):
        calls.clear()
        with contextlib.suppress(NoReverseMatch):
            fast_reverse(name, args)
        assert calls, args


def test_a_route_that_does_not_take_any_number_is_not_cut(monkeypatch):
    # A view name that is no route, and a route without arguments asked for one.
    with pytest.raises(NoReverseMatch):
        fast_reverse("cases:no-such-page", [1])
    with pytest.raises(NoReverseMatch):
        fast_reverse("cases:my_cases", [1])
    assert reversing._split("cases:my_cases", 1, None) is None


def test_the_url_tag_gives_the_same_addresses():
    template = Template(
        "{% url 'cases:person' pk %}|{% url 'cases:plan' pk 3 %}|"
        "{% url 'cases:my_cases' %}|{% url 'cases:person' pk=pk %}|"
        "{% url 'cases:no-such-page' as missing %}[{{ missing }}]"
    )
    html = template.render(Context({"pk": 12}))
    assert html == (
        f"{reverse('cases:person', args=[12])}|{reverse('cases:plan', args=[12, 3])}|"
        f"{reverse('cases:my_cases')}|{reverse('cases:person', kwargs={'pk': 12})}|[]"
    )
    with pytest.raises(NoReverseMatch):
        Template("{% url 'cases:no-such-page' 1 %}").render(Context())


def test_static_addresses_are_djangos(settings):
    # {% load svduty_static %} is Django's static library (addresses worked
    # out once per storage): the same addresses, and a new storage (another
    # STATIC_URL) is asked again.
    from django.templatetags.static import static

    template = Template(
        "{% load svduty_static %}{% static 'build/application.css' %}|"
        "{% static 'build/js/maps.js' as maps %}{{ maps }}|{% get_static_prefix %}"
    )
    expected = (
        f"{static('build/application.css')}|{static('build/js/maps.js')}|"
        f"{settings.STATIC_URL}"
    )
    assert template.render(Context()) == expected
    assert template.render(Context()) == expected
    settings.STATIC_URL = "/elsewhere/"
    assert template.render(Context()).startswith("/elsewhere/build/application.css|")
