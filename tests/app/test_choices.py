"""Long select lists rendered once (app/choices.py): order kept, text escaped, the chosen option selected."""

from __future__ import annotations

import re

from markupsafe import Markup

from app.choices import Choices


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(v, bool(s), t) for v, s, t in re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html)]


def test_options_keep_their_order_and_escape_text_and_values():
    choices = Choices.of([("b", "Bến Tre"), (2, "<Đơn vị & co>"), ('"x"', Markup("&nbsp;&nbsp;Xã A"))])
    assert options(choices.render()) == [
        ("b", False, "Bến Tre"),
        ("2", False, "&lt;Đơn vị &amp; co&gt;"),
        ("&#34;x&#34;", False, "&nbsp;&nbsp;Xã A"),  # Markup stays as given
    ]


def test_the_chosen_option_is_selected_whatever_its_type():
    choices = Choices.of([(1, "Một"), (12, "Mười hai"), ("a&b", "A và B")])
    assert [v for v, selected, _ in options(choices.render(12)) if selected] == ["12"]
    assert [v for v, selected, _ in options(choices.render("12")) if selected] == ["12"]
    assert [v for v, selected, _ in options(choices.render("a&b")) if selected] == ["a&amp;b"]
    # Nothing chosen, or a value that is no option: nothing selected, the same HTML.
    assert choices.render(None) == choices.render(99) == choices.render() == choices.html
    assert isinstance(choices.render(1), Markup)
