"""Plain-loop implementation of the exercise API, written for clarity, not speed.

Every output element is computed by explicit Python loops straight from its
defining formula, so that the vectorised reference can be checked against an
implementation that shares none of its tricks. Same function names and
arguments as ``solutions``, and the same ``ValueError`` for arguments that
do not fit (each function checks them at its entry, with plain ``if`` tests).
"""
