"""The home-page panel registry (svduty.core.home): apps register upward, core only
renders what they return."""

from svduty.core import home


def test_panels_come_in_order_and_a_panel_with_nothing_for_the_user_is_left_out(
    monkeypatch,
):
    monkeypatch.setattr(home, "_PANELS", [])

    @home.register(order=20)
    def second(user):
        return home.Panel("Second", [home.ToDo("Do this", "/x", 2)])

    @home.register(order=10)
    def first(user):
        return home.Panel("First", empty="Nothing to do")

    @home.register(order=5)
    def not_for_them(user):
        return None

    # Registering again (a module imported twice) keeps one entry.
    home.register(order=20)(second)

    panels = home.panels_for(object())
    assert [p.title for p in panels] == ["First", "Second"]
    assert panels[1].items[0].tag == "To do" and panels[1].outstanding == 1
