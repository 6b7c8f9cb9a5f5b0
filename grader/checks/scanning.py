"""Checks of the scanning exercises."""
