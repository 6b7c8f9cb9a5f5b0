"""convgrade's grader: runs student code in a sandboxed worker and scores it."""

__version__ = "0.1.0"
