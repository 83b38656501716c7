"""Errors the toolkit reports as one line on stderr, with the exit code they deserve."""

from __future__ import annotations

USAGE = 2  # the command line itself is wrong: unknown flag, bad value, unknown snapshot id
FAILED = 1  # a file is missing or broken, or a check failed


class ToolError(Exception):
    """A user-facing failure: `message` is printed on one line, `code` is the exit status."""

    def __init__(self, message: str, code: int = FAILED):
        super().__init__(message)
        self.message = " ".join(message.split())  # one line, whatever the cause put in it
        self.code = code


class UsageError(ToolError):
    def __init__(self, message: str):
        super().__init__(message, USAGE)
