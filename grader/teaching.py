"""The text of the notebooks around the exercises, English and Korean side by side, and their code.

Each exercise function has a `Step`: the first line of its docstring and its Korean (generation checks
that the English is still the docstring's, so a changed docstring asks for a new translation), a small
example to run after it, and where a picture helps, a figure drawn with the student's own functions by
`grader.figures`. The idea of each notebook is in `grader.lessons`; the one-line stub hints are in the
catalog. Markdown is written in both languages; code is the same in both, except that the Korean
notebooks pass `lang="ko"` to the grading and figure calls.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """One text of the notebooks in both languages; `text(lang, **values)` formats it when given values."""
    en: str
    ko: str

    def __call__(self, lang: str, **values) -> str:
        text = getattr(self, lang)
        return text.format(**values) if values else text


@dataclass(frozen=True)
class Figure:
    call: str  # a call of a grader.figures function with the student's functions
    caption: Text  # what the figure shows and what to look for


@dataclass(frozen=True)
class Step:
    """One exercise function in its notebook."""
    summary: Text  # the first line of its docstring, and its Korean
    try_it: str = ""  # code to run after it, with the numbers of the post where it has some
    figure: Figure | None = None


WORKING = Text(
    "**How to work.** Run the setup cell below first. Then, for each function: replace "
    "`raise NotImplementedError` by your code, run the cell, try it in the next cell, and run the "
    "grading cell under it. `grade_cells(...)` grades the code cells you have run in this notebook so far "
    "(the same functions as in `exercises/{module}.py`), in a separate sandboxed process, and prints what "
    "passed and what to fix. It needs the `convgrade` package installed in this notebook's Python; the "
    "figures also need matplotlib (`pip install \"convgrade[notebooks]\"`).",
    "**진행 방법.** 먼저 아래의 setup 셀을 실행하세요. 그다음 함수마다: `raise NotImplementedError`를 "
    "여러분의 코드로 바꾸고, 셀을 실행하고, 다음 셀에서 시험해 본 뒤, 그 아래의 채점 셀을 실행하세요. "
    "`grade_cells(...)`는 이 노트북에서 지금까지 실행한 코드 셀 (`exercises/{module}.py`와 같은 함수들)을 "
    "별도의 sandbox 프로세스에서 채점하고, 통과한 것과 고칠 것을 보여 줍니다. 이 노트북의 Python에 "
    "`convgrade` 패키지가 설치되어 있어야 하고, 그림을 보려면 matplotlib도 필요합니다 "
    "(`pip install \"convgrade[notebooks]\"`).")

FROM_ANOTHER_NOTEBOOK = Text(
    "**From another notebook.** `{module}.py` imports {names}, an exercise of {homes}. The cell below holds "
    "its stub: paste your own version there to try the functions of this notebook with it. The grader does "
    "not need it: each function is graded with the reference versions of the other exercises, so a missing "
    "or buggy {names} costs no points here.",
    "**다른 노트북의 함수.** `{module}.py`는 {homes}의 연습 문제 {names}도 import합니다. 아래 셀에 그 "
    "stub이 있습니다: 여러분의 버전을 여기에 붙여 넣으면 이 노트북의 함수를 그것과 함께 시험해 볼 수 "
    "있습니다. 채점에는 필요 없습니다: 각 함수는 다른 연습 문제의 reference 구현으로 채점되므로, 여기서는 "
    "{names}의 구현이 없거나 틀려도 점수를 잃지 않습니다.")

FROM_OTHER_NOTEBOOKS = Text(
    "**From other notebooks.** `{module}.py` imports {names}{further}, exercises of {homes}. The cell below "
    "holds their stubs: paste your own versions there to try the functions of this notebook with them. The "
    "grader does not need them: each function is graded with the reference versions of the other exercises, "
    "so a missing or buggy {every} costs no points here.",
    "**다른 노트북의 함수.** `{module}.py`는 {homes}의 연습 문제 {names}도 import합니다{further}. 아래 셀에 "
    "그 stub들이 있습니다: 여러분의 버전을 여기에 붙여 넣으면 이 노트북의 함수를 그것들과 함께 시험해 볼 수 "
    "있습니다. 채점에는 필요 없습니다: 각 함수는 다른 연습 문제의 reference 구현으로 채점되므로, 여기서는 "
    "{every}의 구현이 없거나 틀려도 점수를 잃지 않습니다.")
IN_TURN_IMPORTS = Text(" (`{importer}.py` in turn imports {name})", " (`{importer}.py`는 다시 {name} 함수를 import합니다)")

WHOLE_NOTEBOOK = Text("### The whole notebook\n\nEvery function of this notebook, graded together:",
                      "### 노트북 전체\n\n이 노트북의 모든 함수를 한꺼번에 채점합니다:")

# Every exercise function, in the order of the catalog.
STEPS = {
    "fc_param_count": Step(
        Text("Parameters of a fully connected layer: ``in * out`` weights (+ ``out`` biases).",
             "fully connected layer의 파라미터 수: weight ``in * out``개 (+ bias ``out``개)."),
        "print(fc_param_count(128 * 128 * 3, 256, bias=False))  # the MLP's first layer: 12582912\n"
        "print(fc_param_count(25, 9, bias=False))  # a 5x5 image fully connected to 9 outputs: 225"),
    "conv_param_count": Step(
        Text("Parameters of a convolution layer: ``K * C * R * S`` weights (+ ``K`` biases).",
             "convolution layer의 파라미터 수: weight ``K * C * R * S``개 (+ bias ``K``개)."),
        "print(conv_param_count(1, 1, 3, bias=False))  # one shared 3x3 kernel: 9\n"
        "print(conv_param_count(3, 4, 3))  # four 3x3x3 kernels and 4 biases: 4 * (3 * 3 * 3) + 4 = 112",
        Figure("show_connections(fc_param_count, conv_param_count)", Text(
            "**The post's two pictures as one table, drawn with your functions.** Each row is one of the 9 "
            "outputs, each column one of the 25 pixels of a 5×5 image, and a coloured cell is a connection. "
            "Left, fully connected: 225 connections, each with a weight of its own (its own shade). Right, the "
            "3×3 convolution: 81 connections, but only 9 weights, the same colours in every row. The titles "
            "show what your `fc_param_count` and `conv_param_count` count.",
            "**글의 두 그림을 표 하나로, 여러분의 함수로 그립니다.** 행은 출력 9개, 열은 5×5 이미지의 픽셀 25개이고, "
            "색칠된 칸이 연결(선분)입니다. 왼쪽 fully connected: 연결 225개가 저마다 다른 weight (다른 명암)를 "
            "가집니다. 오른쪽 3×3 convolution: 연결은 81개지만 weight는 9개뿐이고, 모든 행에 같은 색이 "
            "반복됩니다. 제목의 숫자는 여러분의 `fc_param_count`와 `conv_param_count`가 센 값입니다."))),
    "network_param_count": Step(
        Text("Total parameters of a sequential network on inputs of shape ``(C, H, W)``.",
             "shape ``(C, H, W)``의 입력을 받는 순차 네트워크의 전체 파라미터 수."),
        'layers = [("conv", 4, 3, 1, 1), ("maxpool", 2, 2), ("flatten",), ("fc", 10)]\n'
        "print(network_param_count((3, 128, 128), layers))  # 112 + (4 * 64 * 64) * 10 + 10 = 163962",
        Figure("show_param_counts(fc_param_count, conv_param_count, network_param_count)", Text(
            "**Parameter counts, from your functions** (log scale): the MLP's first layer on a 128×128×3 "
            "image, one layer of four 3×3×3 kernels, and the whole small network above.",
            "**여러분의 함수로 센 파라미터 수** (로그 눈금): 128×128×3 이미지 위 MLP의 첫 번째 layer, 3×3×3 "
            "커널 4개의 layer 하나, 그리고 위의 작은 네트워크 전체."))),
    "scan1d": Step(
        Text("Scan the kernel ``w (F,)`` over the signal ``x (L,)``.",
             "커널 ``w (F,)``를 신호 ``x (L,)`` 위로 scan합니다."),
        "x = np.array([0., 0, 1, 2, 1, 0, 0, 0])\n"
        "w = np.array([1., 2, 1])\n"
        "print(scan1d(x, w))  # largest where the pattern sits: [1. 4. 6. 4. 1. 0.]\n"
        "print(scan1d(np.roll(x, 2), w))  # shift the input by 2: the response shifts by 2 (equivariance)"),
    "detect": Step(
        Text("Find where the 2-D ``kernel (R, S)`` responds most in ``image (H, W)``.",
             "2-D ``kernel (R, S)``이 ``image (H, W)``의 어디에서 가장 크게 반응하는지 찾습니다."),
        "plus = np.array([[0., 1, 0], [1, 1, 1], [0, 1, 0]])\n"
        "image = np.zeros((8, 8))\n"
        "image[1:4, 2:5] = plus\n"
        "print(detect(image, plus))  # (5.0, (1, 2))\n"
        "print(detect(np.roll(image, (3, 2), axis=(0, 1)), plus))  # moved by (3, 2): same score (invariance) "
        "at (4, 4)",
        Figure("show_scanning(scan1d, detect)", Text(
            "**Scanning, drawn with your functions.** Top: an image with an object, the kernel's window where "
            "your `detect` found the largest response, and the response map (row by row, with your "
            "`scan1d`). Bottom: the object moved. The response map moves with it (equivariance); its "
            "maximum changes place but keeps its value (invariance).",
            "**여러분의 함수로 그린 scanning.** 위: 물체가 있는 이미지, 여러분의 `detect`가 가장 큰 response를 "
            "찾은 커널 window, 그리고 response map (여러분의 `scan1d`로 한 행씩 계산). 아래: 물체를 옮긴 "
            "이미지. response map은 물체와 함께 움직이고 (equivariance), 최댓값은 위치만 바뀌고 값은 "
            "그대로입니다 (invariance)."))),
    "scan1d_backward": Step(
        Text("Gradients of ``scan1d`` given the upstream gradient ``dy (L_out,)``.",
             "upstream gradient ``dy (L_out,)``가 주어졌을 때 ``scan1d``의 gradient."),
        "x = np.arange(6.0)\n"
        "w = np.array([1., -1.])\n"
        "dx, dw = scan1d_backward(np.ones(5), x, w)\n"
        "print(dw)  # each weight sums over the 5 positions it was used at: [0+1+2+3+4, 1+2+3+4+5] = [10. 15.]\n"
        "print(dx)  # [ 1.  0.  0.  0.  0. -1.]",
        Figure("show_shared_gradients(scan1d_backward)", Text(
            "**One weight, three positions.** A kernel of 3 weights on 5 inputs gives the outputs z1, z2, z3, "
            "and each weight `w[j]` is used for all three. The bars are its gradient at each position, "
            "`dy[i] * x[i + j]`, stacked; the dot is the `dw[j]` your `scan1d_backward` returns: it belongs "
            "at the top of its stack.",
            "**weight 하나, 위치 셋.** 입력 5개 위의 weight 3개짜리 커널이 출력 z1, z2, z3을 만들고, 각 weight "
            "`w[j]`는 셋 모두에 쓰입니다. 막대는 위치마다의 gradient `dy[i] * x[i + j]`를 쌓은 것이고, 점은 "
            "여러분의 `scan1d_backward`가 돌려준 `dw[j]`입니다: 점은 막대의 맨 위에 있어야 합니다."))),
    "conv2d_forward": Step(
        Text("Forward pass of a convolution layer.", "convolution layer의 forward pass."),
        "rng = np.random.default_rng(0)\n"
        "x, w, b = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((4, 3, 3, 3)), np.zeros(4)\n"
        "print(conv2d_forward(x, w, b).shape)  # (5 - 3 + 0) / 1 + 1 = 3: (2, 4, 3, 3)\n"
        "print(conv2d_forward(x, w, b, padding=1).shape)  # (2, 4, 5, 5); may need your zero_pad",
        Figure("show_feature_maps(conv2d_forward)", Text(
            "**Several kernels, several feature maps**, through your `conv2d_forward`: four 3×3 kernels with "
            "different values (a vertical edge, a horizontal edge, a diagonal, a blur) on one image, each "
            "keeping a different feature. (If your `conv2d_forward` calls `zero_pad`, paste your `zero_pad` "
            "into its cell above first.)",
            "**커널 여러 개, feature map 여러 개**, 여러분의 `conv2d_forward`로 계산했습니다: 값이 다른 3×3 커널 "
            "4개 (세로 edge, 가로 edge, 대각선, blur)를 한 이미지에 적용하면 커널마다 다른 특징을 담습니다. "
            "(여러분의 `conv2d_forward`가 `zero_pad`를 쓴다면, 먼저 위쪽의 셀에 여러분의 `zero_pad`를 붙여 "
            "넣으세요.)"))),
    "conv2d_backward": Step(
        Text("Backward pass of a convolution layer.", "convolution layer의 backward pass."),
        "dx, dw, db = conv2d_backward(np.ones((2, 4, 3, 3)), x, w)\n"
        "print(dx.shape, dw.shape, db)  # shaped like x and w; db sums 2 * 3 * 3 = 18 ones per kernel"),
    "conv_output_size": Step(
        Text("Number of positions of a kernel along one dimension.", "한 차원에서 커널이 놓이는 위치의 개수."),
        "print(conv_output_size(5, 3, padding=1, stride=2))  # (5 - 3 + 2) / 2 + 1 = 3\n"
        "print(conv_output_size(128, 3, padding=1))  # 3x3 with padding 1 keeps the size: 128"),
    "same_padding": Step(
        Text('Padding ``(before, after)`` that keeps the size with stride 1 ("same").',
             'stride 1에서 크기를 유지하는 ("same") 패딩 ``(before, after)``.'),
        "print(same_padding(3), same_padding(4))  # (1, 1) (1, 2): F - 1 zeros in all, the odd one after"),
    "zero_pad": Step(
        Text("Pad the last two axes of ``x (N, C, H, W)`` with zeros.",
             "``x (N, C, H, W)``의 마지막 두 축을 0으로 패딩합니다."),
        "print(zero_pad(np.ones((1, 1, 2, 3)), 1)[0, 0])  # a frame of zeros around the 2x3 ones",
        Figure("show_padding(zero_pad, same_padding, conv_output_size)", Text(
            "**Same padding, drawn with your functions**: a 5×5 input padded by your `zero_pad` with the "
            "zeros your `same_padding` gives a 3×3 and a 4×4 kernel, the kernel's first window, and the "
            "output size. The odd kernel gets one zero on each side; the even one, the extra zero after.",
            "**여러분의 함수로 그린 same 패딩**: 5×5 입력을, 여러분의 `same_padding`이 3×3 커널과 4×4 커널에 "
            "정해 준 0의 개수만큼 여러분의 `zero_pad`로 패딩했습니다. 커널의 첫 window와 출력 크기도 "
            "보입니다. 홀수 커널은 양쪽에 0이 하나씩, 짝수 커널은 남는 0 하나가 뒤에 붙습니다."))),
    "max_pool_indices": Step(
        Text("Position of the maximum of every pooling window (PyTorch's ``return_indices``).",
             "각 풀링 window에서 최댓값의 위치 (PyTorch의 ``return_indices``)."),
        "x = np.arange(16.0).reshape(1, 1, 4, 4)\n"
        "print(max_pool_indices(x, 2))  # flat positions of the maxima in the 4x4 plane: [[5, 7], [13, 15]]",
        Figure("show_pooling(max_pool_indices)", Text(
            "**Pooling windows and the maxima they choose**, from your `max_pool_indices`: 2×2 windows with "
            "stride 2 (no overlap), and 3×3 windows with stride 1 (overlapping: one element can be the "
            "maximum of several windows).",
            "**풀링 window와 각 window가 고른 최댓값**, 여러분의 `max_pool_indices`로 그렸습니다: stride 2의 "
            "2×2 window (겹치지 않음)와 stride 1의 3×3 window (겹침: 한 원소가 여러 window의 최댓값이 될 수 "
            "있습니다)."))),
    "max_pool_forward": Step(
        Text("Forward pass of max pooling.", "max 풀링의 forward pass."),
        "print(max_pool_forward(x, 2))  # 4x4 -> 2x2: pooling shrinks by the stride"),
    "max_pool_backward": Step(
        Text("Backward pass of max pooling.", "max 풀링의 backward pass."),
        "print(max_pool_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0])  # a 1 at each maximum"),
    "avg_pool_forward": Step(
        Text("Forward pass of average pooling.", "average 풀링의 forward pass."),
        "print(avg_pool_forward(x, 2))  # [[2.5, 4.5], [10.5, 12.5]]"),
    "avg_pool_backward": Step(
        Text("Backward pass of average pooling.", "average 풀링의 backward pass."),
        "print(avg_pool_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0])  # 0.25 everywhere"),
    "unpool_nearest": Step(
        Text("Nearest-neighbour unpooling (upsampling) by ``scale = (sh, sw)``.",
             "``scale = (sh, sw)``만큼의 nearest-neighbour 언풀링 (upsampling)."),
        "print(unpool_nearest(np.array([[[[1., 2], [3, 4]]]]), 2)[0, 0])  # 2x2 -> 4x4: grows by the stride"),
    "unpool_nearest_backward": Step(
        Text("Backward pass of ``unpool_nearest``: each input gets the sum of its block.",
             "``unpool_nearest``의 backward pass: 각 입력은 자기 블록의 합을 받습니다."),
        "print(unpool_nearest_backward(np.ones((1, 1, 4, 4)), 2))  # each value was copied 4 times: 4s"),
    "max_unpool": Step(
        Text("Max unpooling (PyTorch's ``MaxUnpool2d``): put every value back at its index.",
             "max 언풀링 (PyTorch의 ``MaxUnpool2d``): 각 값을 그 index 자리에 되돌려 놓습니다."),
        "pooled = np.array([[[[5., 7], [13, 15]]]])  # max pooling of np.arange(16.0) as a 4x4 plane\n"
        "indices = np.array([[[[5, 7], [13, 15]]]])  # where it found them\n"
        "print(max_unpool(pooled, indices, (4, 4))[0, 0])  # back in place, zeros elsewhere",
        Figure("show_unpooling(unpool_nearest, max_unpool)", Text(
            "**Nearest and max unpooling**, from your functions: a 4×4 map max-pooled to 2×2, then enlarged "
            "back to 4×4 by your `unpool_nearest` (every value over its block) and your `max_unpool` (every "
            "value where its maximum was, zeros elsewhere).",
            "**nearest 언풀링과 max 언풀링**, 여러분의 함수로 그렸습니다: 4×4 map을 2×2로 max 풀링한 다음, "
            "여러분의 `unpool_nearest` (각 값을 블록 전체에)와 `max_unpool` (각 값을 최댓값이 있던 자리에, "
            "나머지는 0)로 다시 4×4로 키웁니다."))),
    "max_unpool_backward": Step(
        Text("Backward pass of ``max_unpool``: gather the gradient at the indices.",
             "``max_unpool``의 backward pass: indices 자리의 gradient를 모읍니다."),
        "print(max_unpool_backward(np.arange(16.0).reshape(1, 1, 4, 4), indices))  # [[5, 7], [13, 15]]"),
    "relu_forward": Step(
        Text("Rectified linear unit, elementwise: out = max(x, 0).",
             "원소별 rectified linear unit (relu): out = max(x, 0)."),
        "x = np.array([-2.0, -0.5, 0.0, 1.5])\n"
        "print(relu_forward(x))  # [0.  0.  0.  1.5]"),
    "relu_backward": Step(
        Text("Backward pass of relu: the gradient passes where the input was positive.",
             "relu의 backward pass: 입력이 양수였던 곳에서만 gradient가 통과합니다."),
        "print(relu_backward(np.ones(4), x))  # the gradient passes where x > 0 only: [0. 0. 0. 1.]"),
    "linear_forward": Step(
        Text("Forward pass of a fully connected (linear) layer.", "fully connected (linear) layer의 forward pass."),
        "x, w, b = np.array([[1.0, 2.0]]), np.array([[1.0, 0, -1], [0, 1, 1]]), np.array([0.5, 0, 0])\n"
        "print(linear_forward(x, w, b))  # [[1.5 2.  1. ]]"),
    "linear_backward": Step(
        Text("Backward pass of a linear layer; dout (N, M) is the upstream gradient.",
             "linear layer의 backward pass. dout (N, M)은 upstream gradient입니다."),
        "dx, dw, db = linear_backward(np.ones((1, 3)), x, w)\n"
        "print(dx, dw.shape, db)  # [[0. 2.]] (2, 3) [1. 1. 1.]"),
    "global_max_pool_forward": Step(
        Text("The post's max: the largest value of each channel's whole H x W map.",
             "글의 max: 각 채널의 H x W map 전체에서 가장 큰 값."),
        "maps = np.zeros((1, 1, 5, 5))\n"
        "maps[0, 0, 1, 1] = 3.0  # the apple's response\n"
        "print(global_max_pool_forward(maps), global_max_pool_forward(np.roll(maps, (2, 2), axis=(2, 3))))\n"
        "# the apple moved, the max did not: [[3.]] [[3.]]",
        Figure("show_max_of_the_response(conv2d_forward, relu_forward, global_max_pool_forward)", Text(
            "**The post's max, drawn with your functions**: an apple at four columns, the response map of a 3×3 "
            "blob kernel (your `conv2d_forward`, then your `relu_forward`), and its global max from your "
            "`global_max_pool_forward`. The × marks where the max is: it moves with the apple, its value stays "
            "(shift invariance). (Paste your `conv2d_forward` into the cell *From other notebooks* first.)",
            "**여러분의 함수로 그린 글의 max**: 네 군데 column에 놓인 사과, 3×3 blob 커널의 response map (여러분의 "
            "`conv2d_forward` 다음에 `relu_forward`), 그리고 여러분의 `global_max_pool_forward`가 구한 global "
            "max. ×는 max의 위치입니다: 사과와 함께 움직이지만 값은 그대로입니다 (shift invariance). (먼저 "
            "여러분의 `conv2d_forward`를 *다른 노트북의 함수* 셀에 붙여 넣으세요.)"))),
    "global_max_pool_backward": Step(
        Text("Backward pass of the global max: each map's gradient goes to its maximum.",
             "global max의 backward pass: 각 map의 gradient는 그 최댓값으로 갑니다."),
        "print(global_max_pool_backward(np.array([[1.0]]), maps)[0, 0])  # a 1 where the max was, 0 elsewhere"),
    "softmax_cross_entropy": Step(
        Text("Softmax cross-entropy loss, averaged over the N examples, and its gradient.",
             "N개의 예제에 대해 평균한 softmax cross-entropy loss와 그 gradient."),
        "print(softmax_cross_entropy(np.array([[2.0, 0.0], [0.0, 0.0]]), np.array([0, 1])))\n"
        "# loss (log(1 + e**-2) + log 2) / 2 = 0.41, dlogits [[-0.06, 0.06], [0.25, -0.25]]\n"
        "print(softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))[0])  # 1000.0, no overflow"),
    "detector_loss": Step(
        Text("Loss of the detector and its gradient with respect to every parameter (the chain rule, end to end).",
             "detector의 loss와 모든 파라미터에 대한 gradient (loss에서 커널까지, end to end chain rule)."),
        "images, labels = make_shapes(8, seed=0)\n"
        "rng = np.random.default_rng(0)\n"
        "params = {\"w\": rng.standard_normal((4, 1, 3, 3)), \"b\": np.zeros(4),\n"
        "          \"w_fc\": rng.standard_normal((4, 2)) * 0.5, \"b_fc\": np.zeros(2)}\n"
        "loss, grads = detector_loss(params, images, labels)\n"
        "print(loss, {key: grad.shape for key, grad in grads.items()})  # a gradient shaped like each parameter"),
    "train_detector": Step(
        Text("Train the detector by plain gradient descent on detector_loss; return its params.",
             "detector_loss에 plain gradient descent를 적용해 detector를 학습하고, 그 params를 돌려줍니다."),
        "images, labels = make_shapes(24, region=\"left\", seed=0)\n"
        "params = train_detector(images, labels, steps=20)  # 20 of the 100 steps the figure after predict takes\n"
        "print(detector_loss(params, images, labels)[0])  # lower than log 2 = 0.69, the loss of a coin toss"),
    "predict": Step(
        Text("The detector's class for every image: the index of its largest logit.",
             "각 이미지에 대한 detector의 class: 가장 큰 logit의 index."),
        "test_images, test_labels = make_shapes(200, region=\"right\", seed=1)\n"
        "print(np.mean(predict(params, test_images) == test_labels))  # accuracy where it never saw an object",
        Figure("show_detector(make_shapes, train_detector, predict, linear_forward, linear_backward, relu_forward, "
               "relu_backward, softmax_cross_entropy)", Text(
                   "**The post's two claims, measured with your layers.** Top: training images of both classes, "
                   "their object in the left half. Middle: the kernels your `train_detector` learned end to end "
                   "(the vote of kernel k is w_fc[k, 1] − w_fc[k, 0], positive for apple). Bottom: the accuracy "
                   "on test images whose object is centred at each column, for your CNN (`predict`) and for an "
                   "MLP on the 144 flattened pixels, built from your linear and relu layers and trained with the "
                   "same budget, beside their parameter counts. The CNN finds the apple where it never saw one; "
                   "the MLP, with about 47 times as many parameters, does not.",
                   "**여러분의 layer로 측정한 글의 두 주장.** 위: 두 class의 학습 이미지, 물체는 왼쪽 절반에 "
                   "있습니다. 가운데: 여러분의 `train_detector`가 end to end로 학습한 커널 (커널 k의 vote는 "
                   "w_fc[k, 1] − w_fc[k, 0]이고, 양수면 사과 쪽입니다). 아래: 물체의 중심이 각 column에 있는 "
                   "테스트 이미지에 대한 정확도입니다. 여러분의 CNN (`predict`)과, 1D로 펼친 144개 픽셀 위에 "
                   "여러분의 linear와 relu layer로 만들어 같은 예산으로 학습한 MLP를 파라미터 수와 함께 "
                   "비교합니다. CNN은 한 번도 본 적 없는 위치에서도 사과를 찾지만, 파라미터가 약 47배 많은 MLP는 "
                   "찾지 못합니다."))),
}
