"""convgrade's grader: runs student code in a sandboxed worker and scores it."""

import os
import sys

if "numpy" not in sys.modules:
    # The grader forks (the process answering reference helpers) and may grade from several threads at once
    # (the audit, a thread pool): a fork while OpenBLAS's thread pool is alive can deadlock in OpenBLAS's fork
    # handler. The grader's own computations are small, so it runs BLAS on one thread (set before numpy loads).
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

__version__ = "0.1.0"
