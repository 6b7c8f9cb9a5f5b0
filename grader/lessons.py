"""The idea of each notebook, English and Korean side by side: its first Markdown cells.

With the numbers of the post, and its vocabulary in Korean (커널, 파라미터, 패딩, 풀링, shift invariance,
차원의 저주, inductive bias, gradient). See `grader.teaching` for the rest of a notebook's text.
"""

from __future__ import annotations

from .teaching import Text

# Notebook (a topic of grader.catalog) -> its first Markdown cells.
LESSONS = {
    "01_parameter_counting": (
        Text("# 01 · Counting parameters\n\n"
             "Why do images need convolutions? Count the weights. A fully connected layer has one weight per "
             "(input, output) pair. Flatten a 128×128 RGB image into 128·128·3 = 49,152 inputs and connect it "
             "to a first layer of 256 units: that is 49,152·256 = **12,582,912 weights** (without bias), "
             "before the network has learned anything.",
             "# 01 · 파라미터 세기\n\n"
             "이미지에는 왜 convolution이 필요할까요? weight를 세어 봅시다. fully connected layer는 (입력, 출력) "
             "쌍마다 weight가 하나 있습니다. 128×128 RGB 이미지를 1D로 펼치면 128·128·3 = 49,152개의 입력이 "
             "되고, 이것을 unit 256개의 첫 번째 layer에 연결하면 49,152·256 = **12,582,912개의 weight**가 "
             "필요합니다 (bias 제외). 아직 아무것도 학습하지 않았는데도요."),
        Text("With far more parameters than training images, such a layer is likely to lose information "
             "and overfit: the curse of dimensionality (차원의 저주). Nor can it use the inductive bias of "
             "images, that neighbouring pixels belong together, and it is not shift invariant: a banana that "
             "moved is a new pattern to it.",
             "데이터 수보다 파라미터 수가 압도적으로 많기 때문에 정보 손실이 발생할 확률이 높습니다 (차원의 "
             "저주). 또 이미지의 inductive bias, 곧 주변 픽셀끼리 연관성이 높다는 성질을 활용할 수 없고, "
             "shift invariance도 없습니다: 바나나의 위치가 바뀌면 같은 바나나가 옮겨진 것이 아니라 새로운 "
             "패턴으로 봅니다."),
        Text("A convolution layer scans one small kernel over the image and **shares** its weights across "
             "all positions. Take a 5×5 image and a 3×3 kernel: the kernel fits at 3×3 = 9 positions. A "
             "fully connected layer from the 25 pixels to those 9 outputs has **25·9 = 225** weights; the "
             "convolution has **9**, the same 3×3 weights used at every position.",
             "convolution layer는 작은 커널 하나를 이미지 위로 scan하며 모든 위치에서 weight를 **공유**합니다. "
             "5×5 이미지와 3×3 커널을 생각해 봅시다: 커널은 3×3 = 9곳에 놓입니다. 25개 픽셀을 이 9개 출력에 "
             "fully connected로 연결하면 weight가 **25·9 = 225**개이고, convolution은 **9**개입니다. 선분은 "
             "많지만 모든 위치에서 같은 3×3 weight를 재사용하기 때문입니다."),
        Text("With channels, a kernel spans all input channels: 3×3×3 on an RGB image. Four such kernels make "
             "four output channels: **4·(3·3·3) = 108** weights, plus **4** biases, 112 in all. The image "
             "size does not appear in the count.",
             "채널이 있으면 커널은 모든 입력 채널에 걸칩니다: RGB 이미지라면 3×3×3입니다. 이런 커널 4개가 "
             "출력 채널 4개를 만듭니다: weight **4·(3·3·3) = 108**개에 bias **4**개 (커널 수), 모두 112개입니다. "
             "이미지 크기는 이 계산에 나오지 않습니다."),
    ),
    "02_scanning_and_shift_invariance": (
        Text("# 02 · Scanning and shift invariance\n\n"
             "A convolution is a small detector scanned over its input. In one dimension, a kernel `w` of "
             "size F slides along a signal `x` with a stride S:\n\n$$y_i = \\sum_j w_j \\, x_{iS + j}$$",
             "# 02 · Scanning과 shift invariance\n\n"
             "convolution은 입력 위로 scan하는 작은 detector입니다. 1차원에서는 크기 F의 커널 `w`가 신호 `x` "
             "위를 stride S만큼씩 옮겨 가며 연산합니다:\n\n$$y_i = \\sum_j w_j \\, x_{iS + j}$$"),
        Text("Because the same weights look at every position, a pattern is found **wherever it is**: shift "
             "the input by one step and the response shifts by one step too (with stride 1). That is shift "
             "**equivariance**: the response map moves with the object. It is not invariance yet, since the "
             "map itself has changed.",
             "같은 weight가 모든 위치를 보기 때문에 패턴이 **어디에 있든** 찾아냅니다: 입력을 한 칸 옮기면 "
             "response도 한 칸 옮겨집니다 (stride 1일 때). 이것은 shift **equivariance**(등변성)입니다: response "
             "map이 물체와 함께 움직입니다. map 자체가 바뀌었으니 아직 invariance는 아닙니다."),
        Text("Invariance comes from the **max**, as in the post's apple detector: the largest response says "
             "whether the object is there. When the apple moves, only the position of the maximum changes; "
             "its value stays. `detect` returns both: the score is shift **invariant**, the position "
             "equivariant. And as the 9 shared weights are used at every position, they do the work of 225.",
             "invariance는 **max**에서 나옵니다. 글의 사과 detection처럼, 가장 큰 response로 물체가 있었는지 "
             "판별합니다. 사과의 위치가 옮겨지면 최댓값이 존재하는 위치만 바뀌고 값은 유지됩니다. `detect`는 "
             "둘 다 돌려줍니다: score는 shift **invariant**하고, 위치는 equivariant합니다. 그리고 공유된 "
             "weight 9개가 모든 위치에서 쓰이므로 225개가 하던 일을 해냅니다."),
    ),
    "03_shared_weight_gradients": (
        Text("# 03 · Gradients of shared weights\n\n"
             "In `y[i] = sum_j w[j] * x[i*S + j]` the weight `w[j]` is used at **every** position `i` (in the "
             "post's picture, w is used for z1, z2 and z3). Its gradient is therefore the sum of its "
             "gradients over the positions:\n\n"
             "$$\\frac{\\partial L}{\\partial w_j} = \\sum_i \\frac{\\partial L}{\\partial y_i} \\, x_{iS + j}$$",
             "# 03 · 공유 weight의 gradient\n\n"
             "`y[i] = sum_j w[j] * x[i*S + j]`에서 weight `w[j]`는 **모든** 위치 `i`에서 쓰입니다 (글의 그림에서 "
             "w가 z1, z2, z3에 모두 쓰이는 것처럼). 그래서 그 gradient는 위치마다 구한 gradient를 더한 "
             "값입니다:\n\n"
             "$$\\frac{\\partial L}{\\partial w_j} = \\sum_i \\frac{\\partial L}{\\partial y_i} \\, x_{iS + j}$$"),
        Text("Each input element, in turn, receives the gradient of every window that read it: "
             "`dx[i*S + j] += dy[i] * w[j]`. Overlapping windows (stride smaller than the kernel) add up.",
             "반대로 입력의 각 원소는 자신을 읽은 모든 window의 gradient를 받습니다: "
             "`dx[i*S + j] += dy[i] * w[j]`. window가 겹치면 (stride가 커널보다 작으면) 더해집니다."),
    ),
    "04_conv2d": (
        Text("# 04 · The convolution layer: forward and backward\n\n"
             "In two dimensions, with channels: images `x (N, C, H, W)`, kernels `w (K, C, R, S)`, biases "
             "`b (K,)`. Each of the K kernels spans all C input channels and makes one output channel:\n\n"
             "`out[n, k, i, j] = b[k] + sum_{c, r, s} w[k, c, r, s] * x_pad[n, c, i*sh + r, j*sw + s]`",
             "# 04 · Convolution layer: forward와 backward\n\n"
             "2차원, 채널 포함: 이미지 `x (N, C, H, W)`, 커널 `w (K, C, R, S)`, bias `b (K,)`. K개의 커널이 "
             "각각 C개의 입력 채널 전체에 걸쳐 출력 채널 (feature map) 하나를 만듭니다:\n\n"
             "`out[n, k, i, j] = b[k] + sum_{c, r, s} w[k, c, r, s] * x_pad[n, c, i*sh + r, j*sw + s]`"),
        Text("As in every deep-learning library this is a cross-correlation (the kernel is not flipped). "
             "Four 3×3×3 kernels on an RGB image are `w` of shape (4, 3, 3, 3): 4·(3·3·3) weights and 4 "
             "biases, for any image size. The output size follows (I − F + 2P)/S + 1 (notebook 05).",
             "모든 딥러닝 라이브러리처럼 이것은 cross-correlation입니다 (커널을 뒤집지 않습니다). RGB 이미지 "
             "위의 3×3×3 커널 4개는 shape (4, 3, 3, 3)의 `w`입니다: 이미지 크기와 상관없이 weight "
             "4·(3·3·3)개와 bias 4개. 출력 크기는 (I − F + 2P)/S + 1을 따릅니다 (노트북 05)."),
        Text("Why several kernels? Stacked convolutions make the feature maps smaller, and a smaller map "
             "loses information. Kernels with different values each keep a different feature, so together "
             "they lose less.",
             "왜 커널을 여러 개 쓸까요? convolution을 쌓을수록 feature map이 작아지고, 작아지면서 정보 손실이 "
             "일어납니다. 값이 다른 커널을 여러 개 만들면 커널마다 다른 특징을 담아 정보 손실을 줄입니다."),
        Text("The backward pass applies the rule of notebook 03 in 2-D: `db` and `dw` sum over every "
             "position where the bias and the weights were used, and every window sends its gradient back "
             "to the input pixels it read.",
             "backward는 노트북 03의 규칙을 2차원에 적용합니다: `db`와 `dw`는 bias와 weight가 쓰인 모든 "
             "위치에 대해 더하고, 각 window는 자신이 읽은 입력 픽셀로 gradient를 돌려보냅니다."),
    ),
    "05_padding_and_output_size": (
        Text("# 05 · Padding and the output size\n\n"
             "A kernel of size F scanned with stride S over an input of size I, padded with P zeros on each "
             "side, fits **(I − F + 2P)/S + 1** times:\n\n$$O = \\frac{I - F + 2P}{S} + 1$$\n\n"
             "rounded down when the division is not exact: the last partial window is dropped. (I: input "
             "size, F: kernel size, P: padding size, S: stride size.)",
             "# 05 · 패딩과 출력 크기\n\n"
             "크기 I의 입력 양쪽에 0을 P개씩 패딩하고 크기 F의 커널을 stride S로 scan하면, 커널이 놓이는 "
             "횟수는 **(I − F + 2P)/S + 1**입니다:\n\n$$O = \\frac{I - F + 2P}{S} + 1$$\n\n"
             "나누어떨어지지 않으면 내림합니다: 마지막의 모자란 window는 버립니다. (I: input size, F: kernel "
             "size, P: padding size, S: stride size.)"),
        Text("Examples: I = 5, F = 3, P = 1, S = 2 gives (5 − 3 + 2)/2 + 1 = **3**. Without padding, each "
             "convolution with stride 1 shrinks the map by F − 1: a 3×3 kernel maps 128 to 126.",
             "예: I = 5, F = 3, P = 1, S = 2이면 (5 − 3 + 2)/2 + 1 = **3**입니다. 패딩이 없으면 stride 1의 "
             "convolution마다 feature map이 커널 − 1만큼 줄어듭니다: 3×3 커널이면 128이 126이 됩니다."),
        Text("**How much padding keeps the size?** The post pads the kernel's height − 1 on top and bottom "
             "and its width − 1 on left and right: that is the **total** of both sides, F − 1 zeros split "
             "between them. P in the formula counts the zeros on **each** side, so 2P = F − 1 and "
             "**P = (F − 1)/2**: a 3×3 kernel needs 2 zeros in all, P = 1 per side, and keeps 128×128 at "
             "128×128 (\"same\" padding). An even kernel cannot split F − 1 evenly: F = 4 needs 3 zeros, 1 "
             "before and 2 after, so `same_padding(4)` is (1, 2), the extra zero after as in PyTorch's "
             "`padding=\"same\"`. No single P gives that; count the sides: I + before + after − F + 1 = I.",
             "**패딩을 얼마나 하면 크기가 유지될까요?** 글에서는 위, 아래에 커널의 height − 1만큼, 좌, 우에 "
             "width − 1만큼 패딩합니다: 이것은 양쪽을 **합한** 양, 곧 두 쪽에 나눠 넣을 0의 총 개수 F − 1입니다. "
             "식의 P는 **한쪽**의 0의 개수이므로 2P = F − 1, 즉 **P = (F − 1)/2**입니다: 3×3 커널은 0이 모두 "
             "2개, 한쪽에 P = 1씩 필요하고, 128×128을 128×128로 유지합니다 (same 패딩). 짝수 커널은 F − 1을 "
             "똑같이 나눌 수 없습니다: F = 4이면 0이 3개 필요해서 앞에 1개, 뒤에 2개, 곧 `same_padding(4)`는 "
             "(1, 2)입니다. PyTorch의 `padding=\"same\"`처럼 남는 0은 뒤에 둡니다. 이때는 P 하나로 나타낼 수 "
             "없으니 양쪽을 따로 셉니다: I + before + after − F + 1 = I."),
    ),
    "06_pooling": (
        Text("# 06 · Pooling\n\n"
             "Pooling summarises each window of each channel by one number, its maximum or its mean, and has "
             "no parameters. The output size is the same formula without padding: (I − F)/S + 1. With the "
             "usual 2×2 windows and stride 2, a 128×128 map becomes 64×64: **pooling shrinks the map by the "
             "stride**.",
             "# 06 · 풀링\n\n"
             "풀링은 채널마다 각 window를 숫자 하나, 곧 최댓값이나 평균으로 요약하며 파라미터가 없습니다. "
             "출력 크기는 패딩이 없는 같은 식 (I − F)/S + 1입니다. 흔히 쓰는 2×2 window와 stride 2이면 "
             "128×128 map이 64×64가 됩니다: **풀링하면 stride의 배수만큼 작아집니다**."),
        Text("Backward: max pooling sends each window's gradient to the one element that was its maximum "
             "(the indices of the maxima are worth keeping); average pooling shares it equally among the "
             "window's elements. Where windows overlap, an element can be the maximum of several windows and "
             "receives all their gradients.",
             "backward: max 풀링은 각 window의 gradient를 그 window의 최댓값이었던 원소 하나에 보냅니다 "
             "(그래서 최댓값의 위치를 저장해 둘 만합니다). average 풀링은 window의 원소들에게 똑같이 나눠 "
             "줍니다. window가 겹치면 한 원소가 여러 window의 최댓값이 될 수 있고, 그 gradient를 모두 받습니다."),
    ),
    "07_unpooling": (
        Text("# 07 · Unpooling\n\n"
             "Decoders and segmentation networks need to enlarge feature maps again. Unpooling does the "
             "opposite of pooling with the same stride: a 64×64 map unpooled by 2 becomes 128×128: "
             "**unpooling grows the map by the stride**.",
             "# 07 · 언풀링\n\n"
             "decoder와 segmentation 네트워크는 feature map을 다시 키워야 합니다. 언풀링은 같은 stride로 "
             "풀링의 반대를 합니다: 64×64 map을 2로 언풀링하면 128×128이 됩니다: **언풀링하면 stride의 "
             "배수만큼 커집니다**."),
        Text("*Nearest* unpooling repeats every value over an sh×sw block. *Max* unpooling puts every value "
             "back where max pooling found its maximum (the indices of notebook 06) and zeros elsewhere. "
             "Their backward passes sum each block, and read the gradient at the indices.",
             "*nearest* 언풀링은 각 값을 sh×sw 블록에 반복해서 채웁니다. *max* 언풀링은 각 값을 max 풀링이 "
             "최댓값을 찾았던 자리 (노트북 06의 indices)에 되돌려 놓고 나머지는 0으로 채웁니다. backward는 "
             "각각 블록을 더하고, indices 자리의 gradient를 읽습니다."),
    ),
    "08_end_to_end_detector": (
        Text("# 08 · The apple detector, trained end to end\n\n"
             "The post's argument ends here. Scan the image with a small kernel and take the **max** of its "
             "response to decide whether the apple is there: when the apple moves, only the position of the max "
             "moves, not its value (shift invariance). Put an MLP on top for the final output, and train the "
             "whole thing **end to end**: backpropagate from y through the last layer's weights down to the "
             "kernel. **CNN = MLP + scanning.**",
             "# 08 · 사과 detector를 end to end로 학습하기\n\n"
             "글의 논리는 여기서 완성됩니다. 작은 커널로 이미지를 scan하고, 그 response의 **max**로 사과가 "
             "있는지 판별합니다: 사과가 움직이면 max의 위치만 바뀌고 값은 그대로입니다 (shift invariance). 그 "
             "위에 최종 출력을 위한 MLP를 얹고, 전체를 **end to end**로 학습합니다: y에서 시작해 마지막 layer의 "
             "weight를 거쳐 커널까지 backpropagation합니다. **CNN = MLP + scanning.**"),
        Text("The network of this notebook, on grayscale 12×12 images of an apple (label 1) or a banana "
             "(label 0):\n\n"
             "`images (N, 1, 12, 12)` → `conv2d_forward` (4 kernels 3×3) → `relu_forward` → "
             "`global_max_pool_forward` (4 numbers per image) → `linear_forward` (4 → 2) → "
             "`softmax_cross_entropy`\n\n"
             "Its parameters: 4·(1·3·3) + 4 = 40 in the kernels and 4·2 + 2 = 10 in the head, **50** in all. An "
             "MLP on the 12·12 = 144 flattened pixels with 16 hidden units already has 144·16 + 16 + 16·2 + 2 = "
             "**2,354**; on the post's 128×128×3 images its first layer alone would have 12,582,912 weights.",
             "이 노트북의 네트워크는 사과 (label 1) 또는 바나나 (label 0)가 있는 12×12 흑백 이미지를 "
             "받습니다:\n\n"
             "`images (N, 1, 12, 12)` → `conv2d_forward` (3×3 커널 4개) → `relu_forward` → "
             "`global_max_pool_forward` (이미지마다 숫자 4개) → `linear_forward` (4 → 2) → "
             "`softmax_cross_entropy`\n\n"
             "파라미터는 커널에 4·(1·3·3) + 4 = 40개, head에 4·2 + 2 = 10개, 모두 **50**개입니다. 1D로 펼친 "
             "12·12 = 144개 픽셀 위에 hidden unit 16개를 둔 MLP는 벌써 144·16 + 16 + 16·2 + 2 = **2,354**개이고, "
             "글의 128×128×3 이미지라면 첫 번째 layer만으로 weight가 12,582,912개입니다."),
        Text("The chain rule from the loss to the kernel, one backward function per layer, in reverse order: "
             "`softmax_cross_entropy` gives dlogits; `linear_backward` gives the head's gradients and dpooled; "
             "`global_max_pool_backward` sends each map's gradient to the position of its max only; "
             "`relu_backward` lets it through where the response was positive; `conv2d_backward` adds up the "
             "gradients of the shared kernel over every position (notebook 03).",
             "loss에서 커널까지의 chain rule은 layer마다 backward 함수 하나씩, 역순으로 이어집니다: "
             "`softmax_cross_entropy`가 dlogits를, `linear_backward`가 head의 gradient와 dpooled를 줍니다. "
             "`global_max_pool_backward`는 각 map의 gradient를 max가 있던 위치에만 보내고, `relu_backward`는 "
             "response가 양수였던 곳에서만 gradient를 통과시키며, `conv2d_backward`는 공유된 커널의 gradient를 "
             "모든 위치에 대해 더합니다 (노트북 03)."),
        Text("**The experiment.** The detector is trained on images whose object lies in the **left** half "
             "only, and tested on images whose object lies in the **right** half, at positions it never saw. "
             "The figures train and run **your own** layers: write the functions below, and paste your "
             "`conv2d_forward`, `conv2d_backward` (notebook 04) and `zero_pad` (notebook 05) into the cell "
             "*From other notebooks*.",
             "**실험.** detector는 물체가 **왼쪽** 절반에만 있는 이미지로 학습하고, 물체가 **오른쪽** 절반, 곧 "
             "한 번도 본 적 없는 위치에 있는 이미지로 테스트합니다. 그림은 **여러분의** layer로 학습하고 "
             "실행합니다: 아래 함수들을 작성하고, 여러분의 `conv2d_forward`, `conv2d_backward` (노트북 04)와 "
             "`zero_pad` (노트북 05)를 *다른 노트북의 함수* 셀에 붙여 넣으세요."),
    ),
}
