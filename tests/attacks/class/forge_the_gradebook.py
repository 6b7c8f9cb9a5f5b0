"""One submission of a hostile class (tests/test_attacks.py, test_a_hostile_class): tries to give every
submission of the batch full marks by rewriting the output folder (@OUT@: results, feedback, signed state)
while it is graded, and fills its printed output and its error messages with lines that GitHub Actions
would obey as workflow commands.

The output folder is out of the worker's sight (bubblewrap; the jail of plain-process mode as root), so
nothing is written; the workflow commands reach the reports with a guard in front of every such line.
"""
import glob
import json
import os

OUT = "@OUT@"


def forge():
    forged = 0
    for path in glob.glob(os.path.join(OUT, "results", "*.json")):
        try:
            with open(path) as f:
                data = json.load(f)
            data["score"] = data["max_score"]
            with open(path, "w") as f:
                json.dump(data, f)
            forged += 1
        except (OSError, ValueError):
            pass
    return forged


def fc_param_count(in_features, out_features, bias=True):
    print(f"forged {forge()} results")
    print("::error file=params.py,line=1::forged annotation\n   ::set-output name=score::100\n##[warning]old syntax")
    return in_features * out_features + (out_features if bias else 0)


def conv_output_size(input_size, kernel_size, padding=0, stride=1):
    raise ValueError("no\n::warning title=forged::from an exception message\n  ::add-mask::x")
