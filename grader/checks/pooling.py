"""Checks of the pooling exercises."""
