"""The exceptions article-cleaner raises on purpose.

All derive from :class:`CleanerError`, so ``except CleanerError`` catches every
mistake we report; each message says what to do about it.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error article-cleaner raises deliberately."""


class InputTypeError(CleanerError, TypeError):
    """The input is not text (``str``) or bytes we can decode."""


class DecodeError(CleanerError, ValueError):
    """Bytes were given that are not UTF-8 and whose encoding could not be detected.

    ``reason`` says what is wrong with the bytes without advice, for front ends (the CLI)
    to add their own.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


class RulesError(CleanerError, ValueError):
    """A rules file is missing, malformed, or fails schema validation.

    The message names the file, the rule id and the field where it can.
    """


class GoldenError(CleanerError):
    """A golden directory or case is malformed (missing input or expected file)."""


class ExtractionError(CleanerError, ValueError):
    """HTML could not be parsed or extracted within the documented limits."""


class ConfigError(CleanerError, ValueError):
    """A cleaner option has a value it cannot take (an unknown detector id, a negative timeout)."""


class OptionError(CleanerError, TypeError):
    """An unknown cleaner option, or an option of the wrong type (``model="no"``)."""
