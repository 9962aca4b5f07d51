"""Errors a user can act on, shared by the core and the command line."""


class CliError(Exception):
    """A user error on the command line: printed as one line, exit code 2."""
