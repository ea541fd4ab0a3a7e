"""The lesson's PyTorch code as the viewer reads it, with a run's numbers written in.

The scenes show it line by line; a test runs it and checks that it reproduces the engine's
trace bit for bit, so what is on screen is what ran. The engine (engine.py) builds the cost
with the same terms in the same order (``terms``).
"""

from __future__ import annotations


def terms(coefficients) -> list[tuple[int, float]]:
    """The polynomial's nonzero terms as (power, coefficient), highest power first."""
    return [(k, c) for k, c in reversed(list(enumerate(coefficients))) if c != 0]


def _term(k: int, c: float) -> str:
    power = "" if k == 0 else "w" if k == 1 else f"w**{k}"
    if not power:
        return repr(c)
    return power if c == 1 else f"{c!r} * {power}"


def cost_expression(coefficients) -> str:
    """``w**4 + 2.0 * w**3`` for [0, 0, 0, 2, 1]: Python that computes the cost of w."""
    text = ""
    for k, c in terms(coefficients):
        if not text:
            text = _term(k, c)
        else:
            text += f" - {_term(k, -c)}" if c < 0 else f" + {_term(k, c)}"
    return text


def listing(
    coefficients, w0: float, lr: float, steps: int, momentum: float, noise_std: float, seed: int
) -> str:
    """The code of one run: the cost, the weight, the optimizer, the loop (with the noise
    lines only when noise is added to the gradient)."""
    noisy = noise_std > 0
    lines = [
        "import torch",
        "",
        "def cost(w):",
        f"    return {cost_expression(coefficients)}",
        "",
        f"w = torch.tensor({w0!r},",
        "                 requires_grad=True)",
        "optimizer = torch.optim.SGD(",
        f"    [w], lr={lr!r}, momentum={momentum!r})",
    ]
    if noisy:
        lines.append(f"gen = torch.Generator().manual_seed({seed})")
    lines += [
        "",
        f"for step in range({steps}):",
        "    loss = cost(w)",
        "    optimizer.zero_grad()",
        "    loss.backward()",
    ]
    if noisy:
        lines += [
            "    noise = torch.randn((), generator=gen)",
            f"    w.grad += {noise_std!r} * noise",
        ]
    lines.append("    optimizer.step()")
    return "\n".join(lines) + "\n"
