"""The error of a command called the wrong way: below the subcommands, so none imports the CLI package."""

from __future__ import annotations

from ..errors import CleanerError


class UsageError(CleanerError):
    """A mistake in how the command was called (reported without a traceback)."""
