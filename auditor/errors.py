"""One exception tree: library code raises these; only the CLI turns them into messages."""

from __future__ import annotations


class AuditorError(Exception):
    """Base of every error the tool reports to a user; the message says what to do."""


class ConfigError(AuditorError):
    """The configuration or the command line is wrong (exit code 2)."""


class InputError(AuditorError):
    """One input cannot be read; the build reports it, skips it and goes on.

    ``line`` is the 1-based line of the problem in ``path`` when known.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        super().__init__(f"{path}{':' + str(line) if line else ''}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line


class BuildError(AuditorError):
    """The site could not be written; the previous site is left as it was."""
