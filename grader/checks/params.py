"""Checks of fc_param_count, conv_param_count and network_param_count."""

import re

from hypothesis import strategies as st

from .. import corners, strategies as gen
from .base import N_, Case, CheckFailed, _, check, describe_value, hint_line, to_plain

FC_HINT = N_("a fully connected layer has one weight per (input, output) pair and one bias per output: "
             "in_features * out_features + out_features (the bias only when bias=True).")
CONV_HINT = N_("each of the K = out_channels kernels has C * R * S weights (C = in_channels, R x S = "
               "kernel_size, an int meaning R = S or a pair (R, S)) and one bias: K * C * R * S + K.")
NETWORK_HINT = N_("follow the shape layer by layer: conv gives (K, (H - F + 2P) // S + 1, ...) and maxpool "
                  "((H - F) // S + 1) with its own stride; flatten gives C * H * W features, which are the "
                  "in_features of the first fc layer; conv and fc layers have a bias.")


def expect_count(got, expected: int, what: str, hint: str = ""):
    """An int (Python or NumPy) equal to `expected`."""
    plain = to_plain(got)
    if type(plain) is not int or plain != expected:
        shown = f"{plain:,}" if type(plain) is int else describe_value(got)
        raise CheckFailed(_("{what}: expected {expected}, got {got}.").format(what=what, expected=f"{expected:,}",
                                                                             got=shown) + hint_line(hint))


MLP_LAYER = Case({"in_features": 128 * 128 * 3, "out_features": 256}, {"bias": False})


# ------------------------------------------------------------------------------------------ fc
# Corners (grader/corners.py) by mutant family: bias (always counted, per input) "no bias" and "bias".
@check("fc_param_count", name=N_("counts in * out weights plus out biases"), points=1, kind="value",
       statement=N_("fc_param_count(in_features, out_features, bias) == in_features * out_features (+ out_features if bias)."),
       strategy=gen.fc_cases(),
       corners=corners.fc("smallest", "no bias", "bias"),
       documented=("returns an int",),
       hint=FC_HINT)
def fc_param_count_counts_weights_and_biases(ctx, case):
    expect_count(ctx.call(case), ctx.reference(case), "fc_param_count", FC_HINT)


@check("fc_param_count", name=N_("the bias adds one parameter per output"), points=0.5, kind="property",
       statement=N_("fc_param_count(i, o, bias=True) - fc_param_count(i, o, bias=False) == out_features."),
       strategy=gen.fc_cases(),
       corners=corners.fc("no bias", "bias"),
       hint=N_("there is one bias per output unit (out_features of them), none per input."))
def fc_param_count_the_bias_adds_one_parameter_per_output(ctx, case):
    with_bias, without = ctx.call(case.with_args(bias=True)), ctx.call(case.with_args(bias=False))
    for value, what in ((with_bias, "bias=True"), (without, "bias=False")):
        if type(to_plain(value)) is not int:
            raise CheckFailed(_("{call} should return an int, but it returned {value}.").format(
                call=f"fc_param_count({what})", value=describe_value(value)))
    expect_count(to_plain(with_bias) - to_plain(without), case.args["out_features"],
                 "fc_param_count(bias=True) - fc_param_count(bias=False)",
                 N_("there is one bias per output unit (out_features of them), none per input."))


@check("fc_param_count", name=N_("the post's MLP layer"), points=0.5, kind="value",
       statement=N_("A 256-unit layer without bias on a flattened 128x128x3 image has 49,152 * 256 = 12,582,912 weights."),
       strategy=st.just(MLP_LAYER),
       corners=(MLP_LAYER,),
       hint=FC_HINT)
def fc_param_count_the_posts_mlp_layer(ctx, case):
    expect_count(ctx.call(case), ctx.reference(case), "fc_param_count(49152, 256, bias=False)", FC_HINT)


# ------------------------------------------------------------------------------------------ conv
# Corners by family: bias (forgotten, per input channel) and pair (R * R) "rectangular".
@check("conv_param_count", name=N_("counts K * C * R * S weights plus K biases"), points=1, kind="value",
       statement=N_("conv_param_count(C, K, kernel_size, bias) == K * C * R * S (+ K if bias), kernel_size an int or (R, S)."),
       strategy=gen.conv_param_cases(),
       corners=corners.conv_params("smallest", "rectangular", "no bias"),
       documented=("returns an int",),
       hint=CONV_HINT)
def conv_param_count_counts_weights_and_biases(ctx, case):
    expect_count(ctx.call(case), ctx.reference(case), "conv_param_count", CONV_HINT)


@check("conv_param_count", name=N_("the bias adds one parameter per kernel"), points=0.5, kind="property",
       statement=N_("conv_param_count(..., bias=True) - conv_param_count(..., bias=False) == out_channels."),
       strategy=gen.conv_param_cases(),
       corners=corners.conv_params("rectangular", "no bias"),
       hint=N_("each output channel (kernel) has one bias: out_channels of them, not one per input channel."))
def conv_param_count_the_bias_adds_one_parameter_per_kernel(ctx, case):
    with_bias, without = ctx.call(case.with_args(bias=True)), ctx.call(case.with_args(bias=False))
    for value, what in ((with_bias, "bias=True"), (without, "bias=False")):
        if type(to_plain(value)) is not int:
            raise CheckFailed(_("{call} should return an int, but it returned {value}.").format(
                call=f"conv_param_count({what})", value=describe_value(value)))
    expect_count(to_plain(with_bias) - to_plain(without), case.args["out_channels"],
                 "conv_param_count(bias=True) - conv_param_count(bias=False)",
                 N_("each output channel (kernel) has one bias: out_channels of them, not one per input channel."))


# ------------------------------------------------------------------------------------------ network
# Corners by family: output size (padding ignored), stride (pool stride = kernel) and bias (fc without)
# "mixed"; the post's networks, all three; validation (the layer not named) one bad layer of each kind.
@check("network_param_count", name=N_("matches the reference on generated networks"), points=1, kind="value",
       statement=N_("network_param_count(input_shape, layers) equals the sum of the conv and fc layers' parameters, "
                    "with each layer's input shape followed through conv, maxpool and flatten."),
       strategy=gen.layer_stacks(),
       corners=corners.networks("smallest", "mixed"),
       documented=("returns an int",),
       hint=NETWORK_HINT)
def network_param_count_matches_the_reference(ctx, case):
    expect_count(ctx.call(case), ctx.reference(case), "network_param_count", NETWORK_HINT)


@check("network_param_count", name=N_("the post's networks"), points=1, kind="value",
       statement=N_("LeNet-5 has 61,706 parameters (on 32x32, or on 28x28 with padding 2 in its first conv); a 256-unit "
                    "layer on a flattened 128x128x3 image has 12,582,912 weights + 256 biases."),
       strategy=gen.published_networks(),
       corners=corners.published_networks(),
       hint=NETWORK_HINT)
def network_param_count_the_posts_networks(ctx, case):
    expect_count(ctx.call(case), ctx.reference(case), "network_param_count", NETWORK_HINT)


@check("network_param_count", name=N_("rejects bad layers, naming the layer"), points=0.5, kind="errors",
       statement=N_("A window larger than its input, fc before flatten or an unknown layer kind raise ValueError whose "
                    "message names the layer's index, e.g. \"layer 3 ('conv'): ...\"."),
       strategy=gen.bad_layer_stacks(),
       corners=corners.bad_networks(gen.BAD_LAYERS),
       documented=("naming the layer", "when a window does not fit", "when fc comes before flatten", "for an unknown layer kind"),
       hint=N_("track the shape as you go and raise ValueError(f\"layer {i} ({kind!r}): ...\") as soon as a "
               "layer cannot be applied; fc needs ('flatten',) before it."))
def network_param_count_rejects_bad_layers(ctx, case):
    try:
        ctx.reference(case)
    except ValueError as err:
        index = int(re.match(r"layer (\d+)", str(err)).group(1))
    result = ctx.call_raw(case)
    why = _(str(case.note))
    if result.ok:
        raise CheckFailed(_("expected {expected} ({why}), but the call returned {value}.").format(
            expected="ValueError", why=why, value=describe_value(result.value)))
    error = result.error
    if "ValueError" not in error.get("mro", [error.get("type")]):
        raise CheckFailed(_("expected {expected} ({why}), but it raised {type}: {message}").format(
            expected="ValueError", why=why, type=error.get("type"), message=error.get("message")))
    message = str(error.get("message", ""))
    if "layer" not in message.lower() or not re.search(rf"(?<!\d){index}(?!\d)", message):
        raise CheckFailed(_("the ValueError ({why}) should name the layer, e.g. \"layer {index} (...): ...\", but "
                            "its message is: {message}").format(why=why, index=index, message=repr(message)))
