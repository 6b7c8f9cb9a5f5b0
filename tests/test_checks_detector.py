"""The checks of the detector: what their feedback names, the training check's own time limit, the helper
notes of a pipeline, and the points table of the README."""
import re

from grader.catalog import MODULES, functions_of
from grader.checks import checks_for
from grader.mutants import build_submission, default_mutants_dir, load_mutants
from grader.runner import grade
from grading_helpers import REPO, mutate

MUTANTS = {m.name: m for m in load_mutants(default_mutants_dir())}


def failed(result, function):
    return [c for c in result.function(function).checks if not c.passed and not c.advice]


def test_the_end_to_end_check_names_the_parameter_whose_gradient_is_wrong(tmp_path):
    folder = build_submission(MUTANTS["detector_loss__forgets_bias_gradient"], tmp_path / "no_db")
    result = grade(folder, only=("detector_loss",), examples=5)
    [gradient] = [c for c in failed(result, "detector_loss") if c.kind == "gradient"]
    assert "the gradient of grads['b'] is wrong (grads['w'], grads['w_fc'], grads['b_fc'] pass)" in gradient.feedback
    assert "bias gradient db" in gradient.feedback


def test_a_missing_relu_mask_is_named_on_a_kernel_that_responds_nowhere(tmp_path):
    folder = build_submission(MUTANTS["detector_loss__forgets_relu_mask"], tmp_path / "no_mask")
    result = grade(folder, only=("detector_loss",), examples=5)
    [gradient] = [c for c in failed(result, "detector_loss") if c.kind == "gradient"]
    assert "kernel 1 is dead" in gradient.feedback and "relu mask" in gradient.feedback
    assert "grads['w_fc'], grads['b_fc'] pass" in gradient.feedback


def test_the_training_check_allows_a_call_longer_than_timeout(tmp_path):
    """--timeout 1 limits every other call; the training check has its own limit (TRAIN_TIMEOUT, 120 s)."""
    folder = mutate(tmp_path / "slow", "detector", "    for _ in range(steps):\n",
                    "    if steps >= 100:\n        import time\n        time.sleep(1.5)\n    for _ in range(steps):\n")
    result = grade(folder, only=("train_detector",), examples=3, timeout=1.0)
    train = result.function("train_detector")
    assert train.status == "passed" and train.score == train.max_score


def test_a_broken_layer_under_a_reference_helper_is_reported_as_breaking_training(tmp_path):
    folder = mutate(tmp_path / "bad_db", "conv", "    db = dout.sum(axis=(0, 2, 3))", "    db = dout.mean(axis=(0, 2, 3))")
    result = grade(folder, only=("conv2d_backward", "detector_loss", "train_detector"), examples=3)
    assert result.function("conv2d_backward").status == "failed"
    assert result.function("detector_loss").status == result.function("train_detector").status == "passed"
    loss_notes, train_notes = result.function("detector_loss").notes, result.function("train_detector").notes
    assert any("detector_loss calls conv2d_backward, which did not pass its own checks" in n for n in loss_notes)
    assert any("train_detector relies on conv2d_backward (through detector_loss), which did not pass its own "
               "checks" in n and "would break" in n for n in train_notes)


def test_the_readme_states_the_points_of_every_function():
    readme = (REPO / "README.md").read_text()
    for module in MODULES:
        row = re.search(rf"^\| `{module}\.py` \| ([\d.]+) \| (.*) \|$", readme, re.M)
        assert row, f"the README's points table has no row for {module}.py"
        stated = {name: float(points) for name, points in re.findall(r"`(\w+)` ([\d.]+)", row.group(2))}
        actual = {f: sum(c.points for c in checks_for(f)) for f in functions_of(module)}
        assert stated == actual and float(row.group(1)) == sum(actual.values()), module


def test_the_training_statement_states_the_graded_training():
    from grader.checks.detector_training import ACCURACY
    from grader.corners_detector import TEST_IMAGES, TRAIN_IMAGES, TRAINING

    [learns] = [c for c in checks_for("train_detector") if c.kind == "property"]
    assert (f"steps={TRAINING['steps']}, lr={TRAINING['lr']}, seed={TRAINING['seed']} on {TRAIN_IMAGES} images"
            in learns.statement and f"at least {ACCURACY:.0%} of {TEST_IMAGES} images" in learns.statement)
