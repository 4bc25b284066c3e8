"""The configuration schema: every option with its default and help text side by side.

Configuration comes from ``auditor.toml`` in the site folder, or ``[tool.auditor]`` in a
``pyproject.toml`` there. Validation collects every problem before failing, so a user fixes a
broken file in one pass; unknown keys are warnings, not errors.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError

CONFIG_NAME = "auditor.toml"
EVIDENCE_LISTED = 10
"""How many quoted spans a finding lists on its piece page by default (the text marks all)."""


@dataclass(frozen=True)
class ScoringSettings:
    """What a user may change about scoring without code (see docs/configuration.md).

    ``rules`` switches rules on/off by dotted-id prefix, the longest matching prefix winning;
    ``weights`` maps a rule id or a dimension name to a weight; ``words`` adds entries to the
    named word lists of the scoring model (e.g. ``community``, ``self_promotion``).
    """

    rules: tuple[tuple[str, bool], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    min_words: int = 100

    def enabled(self, rule_id: str) -> bool:
        """Whether ``rule_id`` is on: the most specific matching prefix decides."""
        best: tuple[int, bool] = (-1, True)
        for prefix, on in self.rules:
            matches = rule_id == prefix or rule_id.startswith(prefix + ".")
            if matches and len(prefix) > best[0]:
                best = (len(prefix), on)
        return best[1]

    def weight(self, key: str, default: float) -> float:
        """The configured weight of a rule id or dimension name, else ``default``."""
        return dict(self.weights).get(key, default)

    def extra_words(self, list_name: str) -> tuple[str, ...]:
        """Words the user added to one of the model's word lists."""
        return dict(self.words).get(list_name, ())


@dataclass(frozen=True)
class Thresholds:
    """Minimum scores a piece must reach in ``auditor check``: ``overall`` and/or dimensions."""

    minimums: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class CheckSettings:
    """The gate's thresholds: a default set, and sets for path globs that replace it.

    The longest matching glob wins, so ``content/posts/**`` can be stricter than the default
    and ``content/pages/**`` can have no thresholds at all (an empty table).
    """

    default: Thresholds = Thresholds()
    paths: tuple[tuple[str, Thresholds], ...] = ()

    def for_path(self, path: str) -> Thresholds:
        """The thresholds that apply to one content path (POSIX, relative to the site)."""
        matches = [(glob, t) for glob, t in self.paths if fnmatch.fnmatchcase(path, glob)]
        if not matches:
            return self.default
        return max(matches, key=lambda item: len(item[0]))[1]


@dataclass(frozen=True)
class Config:
    """A validated site configuration. Paths are absolute, resolved against the site folder."""

    site_dir: Path
    title: str = "Content audit"
    base_url: str | None = None
    content: tuple[Path, ...] = ()
    feeds: tuple[str, ...] = ()
    output: Path = Path("output")
    exclude: tuple[str, ...] = ()
    drafts: bool = False
    history: bool = False
    previous: str | None = None
    offline: bool = False  # feeds from .auditor-cache/feeds/ only (build --offline)
    templates: Path | None = None
    evidence_listed: int = EVIDENCE_LISTED
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    config_file: Path | None = None


@dataclass(frozen=True)
class Option:
    """One configuration key: its check/convert function, default and help text."""

    key: str
    convert: Callable[[Any], Any]
    help: str


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def _base_url(value: Any) -> str | None:
    value = _str(value).strip()
    if value and not re.match(r"^https?://", value):
        raise ValueError("expected an http(s):// URL")
    return value or None


def _rules(value: Any) -> tuple[tuple[str, bool], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, bool) for v in value.values()):
        raise ValueError(
            'expected a table of rule-id prefixes to true/false, e.g. "dialogue" = false'
        )
    return tuple(sorted(value.items()))


def _weights(value: Any) -> tuple[tuple[str, float], ...]:
    ok = isinstance(value, dict) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value.values()
    )
    if not ok:
        raise ValueError("expected a table of rule ids or dimensions to numbers >= 0")
    return tuple(sorted((k, float(v)) for k, v in value.items()))


def _words(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ValueError("expected a table of word-list names to lists of words")
    return tuple(sorted((k, _str_list(v)) for k, v in value.items()))


def _whole_number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("expected a whole number >= 1")
    return value


SITE_OPTIONS: tuple[Option, ...] = (
    Option("title", _str, "Title shown on every page of the audit site."),
    Option(
        "base_url", _base_url, "Public URL of the blog, used to tell its own links from others'."
    ),
    Option("content", _str_list, 'Folders of Markdown and HTML to audit (default ["content"]).'),
    Option("feeds", _str_list, "RSS/Atom feeds to audit: file paths or http(s) URLs."),
    Option("output", _str, 'Folder the audit site is written to (default "output").'),
    Option("exclude", _str_list, 'Glob patterns of content paths to leave out, e.g. "drafts/**".'),
    Option("drafts", _bool, "Audit posts marked draft: true (default false)."),
    Option("history", _bool, "Compare with the previous build and keep history.json (false)."),
    Option("templates", _str, 'Folder of templates that override the theme (default "templates").'),
    Option(
        "evidence_listed",
        _whole_number,
        f"Quoted spans listed under each finding (default {EVIDENCE_LISTED}); the text marks all.",
    ),
)

SCORING_OPTIONS: tuple[Option, ...] = (
    Option("rules", _rules, "Rules on/off by dotted-id prefix; the longest prefix wins."),
    Option("weights", _weights, "Weights by rule id or dimension name."),
    Option("words", _words, "Extra words for the model's word lists, by list name."),
    Option("min_words", _whole_number, "Pieces shorter than this are 'too short to judge' (100)."),
)


def load_config(
    site_dir: Path, config_file: Path | None = None, warn: Callable[[str], None] = lambda _: None
) -> Config:
    """Read and validate the site's configuration; raise ConfigError listing every problem."""
    site_dir = site_dir.resolve()
    raw, source = _read_raw(site_dir, config_file)
    problems: list[str] = []
    site = _validate(raw, SITE_OPTIONS, "", problems, warn, source, nested={"scoring", "check"})
    scoring_raw = raw.get("scoring", {})
    if not isinstance(scoring_raw, dict):
        problems.append(f"{source}: scoring: expected a table")
        scoring_raw = {}
    scoring = _validate(scoring_raw, SCORING_OPTIONS, "scoring.", problems, warn, source)
    check = _check_settings(raw.get("check", {}), problems, source)
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(
        site_dir=site_dir,
        title=site.get("title", "Content audit"),
        base_url=site.get("base_url"),
        content=tuple(site_dir / p for p in site.get("content", ("content",))),
        feeds=tuple(
            f if re.match(r"^https?://", f) else str(site_dir / f) for f in site.get("feeds", ())
        ),
        output=site_dir / site.get("output", "output"),
        exclude=site.get("exclude", ()),
        drafts=site.get("drafts", False),
        history=site.get("history", False),
        templates=site_dir / site.get("templates", "templates"),
        evidence_listed=site.get("evidence_listed", EVIDENCE_LISTED),
        scoring=ScoringSettings(**scoring),
        check=check,
        config_file=Path(source) if source else None,
    )


def _check_settings(raw: Any, problems: list[str], source: str) -> CheckSettings:
    """``[check]`` holds default minimums and a ``paths`` table of glob -> minimums."""
    if not isinstance(raw, dict):
        problems.append(f"{source}: check: expected a table")
        return CheckSettings()
    paths_raw = raw.get("paths", {})
    if not isinstance(paths_raw, dict):
        problems.append(f"{source}: check.paths: expected a table of globs to tables")
        paths_raw = {}
    default = _thresholds(
        {k: v for k, v in raw.items() if k != "paths"}, "check.", problems, source
    )
    paths = tuple(
        (glob, _thresholds(table, f'check.paths."{glob}".', problems, source))
        for glob, table in sorted(paths_raw.items())
    )
    return CheckSettings(default, paths)


def _thresholds(raw: Any, prefix: str, problems: list[str], source: str) -> Thresholds:
    """Minimums by dimension name; ``min_score`` is the overall score's minimum."""
    if not isinstance(raw, dict):
        problems.append(f"{source}: {prefix.rstrip('.')}: expected a table of minimum scores")
        return Thresholds()
    minimums = []
    for key, value in sorted(raw.items()):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            problems.append(f"{source}: {prefix}{key}: expected a whole number from 0 to 100")
            continue
        minimums.append(("overall" if key == "min_score" else key, value))
    return Thresholds(tuple(sorted(minimums)))


def _read_raw(site_dir: Path, config_file: Path | None) -> tuple[dict[str, Any], str]:
    """Find and parse the TOML; a pyproject.toml contributes only its [tool.auditor] table."""
    candidates = (
        [config_file] if config_file else [site_dir / CONFIG_NAME, site_dir / "pyproject.toml"]
    )
    for path in candidates:
        if path is None or not path.is_file():
            if config_file:
                raise ConfigError(f"{config_file}: no such configuration file")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {_toml_problem(exc, text)}") from None
        if path.name == "pyproject.toml" and not config_file:
            table = data.get("tool", {}).get("auditor")
            if table is None:
                continue
            return table, str(path)
        return data, str(path)
    return {}, ""


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """tomllib names the line except at the end of the document; name it there too."""
    message = str(exc)
    if "end of document" in message:
        message += f" (line {text.count(chr(10)) + 1})"
    return message


def _validate(
    raw: Mapping[str, Any],
    options: tuple[Option, ...],
    prefix: str,
    problems: list[str],
    warn: Callable[[str], None],
    source: str,
    nested: set[str] | None = None,
) -> dict[str, Any]:
    """Convert each known key, collecting problems; warn about keys the schema does not know."""
    known = {opt.key: opt for opt in options}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in (nested or set()):
            continue
        option = known.get(key)
        if option is None:
            warn(f"{source}: unknown key '{prefix}{key}' ignored")
            continue
        try:
            values[key] = option.convert(value)
        except ValueError as exc:
            problems.append(f"{source}: {prefix}{key}: {exc}")
    return values
