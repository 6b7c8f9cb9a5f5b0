"""Checks of the unpooling exercises."""
