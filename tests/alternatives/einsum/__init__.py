"""A second vectorised implementation of the exercise API.

Where the reference uses ``sliding_window_view`` + ``tensordot`` and strided
accumulation, this one builds windows with ``as_strided``, contracts them with
``einsum``, computes input gradients as a "full" correlation of the dilated
gradient with the flipped kernel, and scatters with ``np.bincount``. Same
function names and arguments as ``solutions``, and the same ``ValueError`` for
arguments that do not fit (each function states its conditions at its entry
with ``check``).
"""
