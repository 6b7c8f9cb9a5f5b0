"""Checks of the padding exercises."""
