"""Builders of sample `GradeResult`s for report tests: a full-score one and a mixed one.

The mixed result has every function status, notes at both levels, captured output, and feedback with
characters that break naive reports: `<`, `&`, quotes, Korean text, an ANSI escape and a bell.
"""

from __future__ import annotations

from grader.results import CheckResult, FunctionResult, GradeResult, SubmissionInfo, total

# (module, function, {check name: points}); points sum to 100.
LAYOUT = (
    ("params", "fc_param_count", {"counts weights and biases": 2.0}),
    ("params", "conv_param_count", {"counts weights and biases": 3.0}),
    ("params", "network_param_count", {"sums the layers": 3.0}),
    ("padding", "conv_output_size", {"matches the formula": 2.0, "rejects bad stride": 2.0}),
    ("padding", "same_padding", {"keeps the size": 2.0}),
    ("padding", "zero_pad", {"matches the reference": 2.0, "keeps dtype": 1.0}),
    ("scanning", "scan1d", {"matches the reference": 5.0}),
    ("scanning", "scan1d_backward", {"gradient check": 5.0}),
    ("scanning", "detect", {"finds the pattern": 5.0}),
    ("conv", "conv2d_forward", {"matches the reference": 8.0, "output shape": 4.0}),
    ("conv", "conv2d_backward", {"gradient wrt x": 4.0, "gradient wrt w": 8.0, "gradient wrt b": 4.0}),
    ("pooling", "max_pool_forward", {"matches the reference": 4.0}),
    ("pooling", "max_pool_backward", {"routes the gradient": 4.0}),
    ("pooling", "max_pool_indices", {"argmax positions": 4.0}),
    ("pooling", "avg_pool_forward", {"matches the reference": 3.0}),
    ("pooling", "avg_pool_backward", {"spreads the gradient": 3.0}),
    ("unpooling", "unpool_nearest", {"repeats values": 3.0}),
    ("unpooling", "unpool_nearest_backward", {"sums the blocks": 3.0}),
    ("unpooling", "max_unpool", {"places values": 3.0}),
    ("unpooling", "max_unpool_backward", {"gathers the gradient": 3.0}),
    *(("detector", name, {"matches the reference": 1.0}) for name in (
        "relu_forward", "relu_backward", "linear_forward", "linear_backward", "global_max_pool_forward",
        "global_max_pool_backward", "softmax_cross_entropy", "detector_loss", "train_detector", "predict")),
)

TRICKY_FEEDBACK = (
    "dw is wrong where x < 0 & w > 0: \"transposed\" kernel? 커널을 뒤집었나요?\x1b[31m\x07\n"
    "smallest failing case: x.shape=(1, 1, 3, 3), w.shape=(1, 1, 2, 2)\n"
    "expected dw[0, 0, 0, 0] = 1.5, got -1.5\n"
    "worst element: dw[0, 0, 1, 1] (|error| = 3.0)\n"
    "hint: dw[k, c, r, s] = sum over n, i, j of dout[n, k, i, j] * x[n, c, i + r, j + s]"
)


def _function(module, name, checks, failing=(), status=None, feedback="", **extra) -> FunctionResult:
    results = [
        CheckResult(name=check, score=0.0 if check in failing else pts, max_score=pts,
                    passed=check not in failing, feedback=feedback if check in failing else "",
                    description=f"{name} {check}")
        for check, pts in checks.items()
    ]
    status = status or ("failed" if failing else "passed")
    return FunctionResult(name=name, module=module, score=total(c.score for c in results),
                          max_score=total(checks.values()), status=status, checks=results, **extra)


def _result(functions, notes=()) -> GradeResult:
    functions = list(functions)
    return GradeResult(score=total(f.score for f in functions), max_score=100.0, seed_fingerprint="03ac6742",
                       grader_version="0.1.0", elapsed_s=12.5,
                       submission=SubmissionInfo(path="exercises", sha256="ab" * 32),
                       functions=functions, notes=list(notes))


def full_score_result() -> GradeResult:
    """Every function passes every check: 100 / 100."""
    return _result(_function(module, name, checks) for module, name, checks in LAYOUT)


def mixed_result() -> GradeResult:
    """Failures, not implemented, timeout, error, missing and notes; 73.0 / 100.0."""
    special = {
        "zero_pad": dict(failing=("matches the reference",), output="padding 1\n" * 12,
                         feedback="the border is not zero\nexpected 0.0, got 1.0"),
        "scan1d_backward": dict(failing=("gradient check",), status="error",
                                feedback="IndexError: index 5 is out of bounds for axis 0 with size 5"),
        "detect": dict(failing=("finds the pattern",), status="timeout",
                       feedback="no answer within 10 s", notes=["detect was stopped after 10 s"]),
        "conv2d_forward": dict(notes=["graded with the reference zero_pad: your zero_pad failed its checks"]),
        "conv2d_backward": dict(failing=("gradient wrt w",), feedback=TRICKY_FEEDBACK,
                                output="debug: dw computed\n"),
        "max_pool_indices": dict(failing=("argmax positions",), status="not_implemented",
                                 feedback="NotImplementedError"),
    }
    functions = []
    for module, name, checks in LAYOUT:
        if name == "max_unpool_backward":
            functions.append(FunctionResult(name=name, module=module, score=0.0, max_score=3.0,
                                            status="missing"))
        else:
            functions.append(_function(module, name, checks, **special.get(name, {})))
    return _result(functions, notes=["skipped IPython magic in cell 3"])
