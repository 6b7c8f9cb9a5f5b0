"""Checks of the params exercises."""
