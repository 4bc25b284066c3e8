"""The one Jinja2 environment: user templates over the default theme, autoescaped, strict."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
)
from markupsafe import Markup

import auditor
from auditor.bundled import theme_dir


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 piece`` / ``3 pieces``."""
    word = singular if count == 1 else (many or singular + "s")
    return f"{count:,} {word}"


def make_environment(
    user_templates: Path | None = None, compiled: Path | None = None
) -> Environment:
    """Build the environment: ChoiceLoader(user folder, theme), autoescape on, StrictUndefined.

    ``compiled`` is a folder (in the build cache) for Jinja2's compiled templates: compiling the
    theme costs ~0.3 s a build, and Jinja2 keys each entry by the template's source checksum,
    so an edited template is compiled afresh, never served stale.
    """
    bytecode = None
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(compiled))
    loaders = []
    if user_templates is not None and user_templates.is_dir():
        loaders.append(FileSystemLoader(str(user_templates)))
    loaders.append(FileSystemLoader(str(theme_dir())))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: skip a stat() per template per page
        bytecode_cache=bytecode,
    )
    env.filters["plural"] = plural
    env.globals["version"] = auditor.__version__
    env.globals["once"] = once(env)
    return env


def once(env: Environment) -> Callable[..., Markup]:
    """``once(template, macro, *args)``: the macro's output, rendered once per distinct
    (immutable) arguments and reused.

    A piece page shows six score gauges of ~10 values each and the site's navigation, and
    both repeat across pages (``views.score_view`` shares one record per score), so their
    HTML is made once per build by the theme's own macros (a user's ``_macros.html``
    included) instead of escaped value by value on every page.
    """
    made: dict[tuple[Hashable, ...], Markup] = {}

    def render(template: str, macro: str, *args: Hashable) -> Markup:
        key = (template, macro, *args)
        found = made.get(key)
        if found is None:
            found = made[key] = getattr(env.get_template(template).module, macro)(*args)
        return found

    return render


def raw_source(env: Environment, name: str) -> str:
    """A static file's text as the loader finds it, so user files override theme files."""
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source
