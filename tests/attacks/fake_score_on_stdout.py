"""Prints a fake JSON report and "all checks passed" at import and in every call, then answers wrongly.

What a submission prints is captured in the worker and shown as its output; scores come only from the
grader's own checks.
"""
import json

FAKE = json.dumps({"score": 100.0, "max_score": 100.0, "functions": [{"name": "conv_output_size",
                                                                     "status": "passed", "score": 5.0}]})
print(FAKE)
print("All checks passed: 100/100")


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    print(FAKE)
    return -1.5


EXPECT = {
    "only": ("conv_output_size",),
    "outcome": {"score": 0, "status": "failed", "output_says": '"score": 100.0'},
}
