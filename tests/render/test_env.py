"""The Jinja2 environment's ``once``: a macro's output made once per distinct arguments."""

from __future__ import annotations

from pathlib import Path

from auditor.render.env import make_environment
from auditor.render.views import score_view


def test_once_renders_a_macro_once_per_arguments_and_reuses_it() -> None:
    env = make_environment()
    once = env.globals["once"]
    good, poor = score_view("overall", "Overall", 95), score_view("overall", "Overall", 10)
    first = once("_macros.html", "gauge", good)
    assert "band-good" in first and ">95<" in first
    assert once("_macros.html", "gauge", good) is first  # reused, not rendered again
    assert once("_macros.html", "gauge", poor) != first
    direct = env.get_template("_macros.html").module.gauge(good)  # type: ignore[attr-defined]
    assert str(first) == str(direct)


def test_once_uses_the_users_macros(tmp_path: Path) -> None:
    (tmp_path / "_nav.html").write_text(
        "{% macro site_nav(root, section, nav) %}<mine {{ root }}>{% endmacro %}\n",
        encoding="utf-8",
    )
    env = make_environment(tmp_path)
    assert env.globals["once"]("_nav.html", "site_nav", "../", "x", ()) == "<mine ../>"
