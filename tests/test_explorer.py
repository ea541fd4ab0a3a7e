"""The learning-rate explorer on the first lesson's page (gdlesson/explorer.py): its runs are
the engine's, step by step the update rule, written as the lesson's readouts write them; the
page shows exactly those numbers in Chromium, keeps its state in its address, and asks for
nothing outside its folder."""

import json

import numpy as np
import pytest

from gd_engine import load_config, regimes, train
from gdlesson.explorer import (
    DATA_FILE,
    DATA_GLOBAL,
    data_script,
    explore,
    learning_rates,
    starting_points,
)
from scenes.plotting import fmt_value, log_scale

#: float32 sums over 60 points: a relative error well under this
F32 = 1e-5


@pytest.fixture(scope="module")
def cfg():
    return load_config("lesson.toml")


@pytest.fixture(scope="module")
def ex(cfg):
    return explore(cfg)


def page_data(text: str) -> dict:
    prefix = f"window.{DATA_GLOBAL}="
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def shown(v: float) -> str:
    """As the page's data holds a number: the readouts' text, with an ASCII minus."""
    return fmt_value(v).replace("\u2212", "-")


# -- the runs --------------------------------------------------------------------------------
def test_the_grid_spans_the_three_regimes_around_the_lessons_own_run(cfg, ex):
    lr_oscillate, lr_diverge = regimes.bounds(ex.mean_x2)
    assert ex.lesson == (cfg.train.lr, cfg.train.w0)
    assert cfg.train.lr in ex.lrs and cfg.train.w0 in ex.starts
    assert list(ex.lrs) == sorted(set(ex.lrs)) and ex.lrs[0] > 0
    assert ex.lrs[-1] >= 1.2 * lr_diverge  # past the divergence bound
    names = {regimes.regime(lr, ex.mean_x2) for lr in ex.lrs}
    assert {"smooth", "oscillating", "divergent"} <= names
    assert 200 <= len(ex.runs) <= 500 and ex.epochs == cfg.train.epochs
    assert len(ex.starts) >= 3 and all(abs(s - ex.w_star) > 0.5 for s in ex.starts)
    # on the default data: round steps of 0.005 up to 0.42, starts on both sides of w*
    assert ex.lrs[:3] == (0.005, 0.01, 0.015) and ex.lrs[-1] == 0.42
    assert min(ex.starts) < ex.w_star < max(ex.starts)


def test_the_grid_keeps_a_lesson_lr_that_is_not_a_round_step():
    lrs = learning_rates(0.3331, 0.1234)
    assert 0.1234 in lrs and lrs == tuple(sorted(lrs))
    # the start, its mirror image in the minimum, and halfway to each; tenths when close
    assert starting_points(-10.0, -3.0) == (-10.0, -6.0, 0.0, 4.0)
    assert starting_points(1.0, 0.0) == (-1.0, -0.5, 0.5, 1.0)


def test_each_run_is_the_engines_trace_for_its_learning_rate_and_start(cfg, ex):
    """The explorer trains with the lesson's loop: the same numbers, bit for bit, as
    ``gdlesson trace --set train.lr=... --set train.w0=...``."""
    picked = [(lr, w0) for lr in ex.lrs[::7] + (ex.lrs[-1],) for w0 in ex.starts]
    for lr, w0 in picked:
        trace = train(ex.config(cfg, lr, w0))
        run = ex.runs[lr, w0]
        assert trace.config.train.lr == lr and trace.config.train.w0 == w0
        assert run.epochs == trace.epochs, (lr, w0)
        assert run.final == trace.final and run.diverged_at == trace.diverged_at
    assert len(picked) >= 40


def test_every_step_of_every_run_is_the_update_rule_in_float64(ex):
    """loss = mean((w x - y)^2), grad = 2 mean((w x - y) x), w_next = w - lr grad, each
    step computed again in float64 from the step's own w: equal within float32 rounding."""
    x, y = np.array(ex.x, dtype=np.float64), np.array(ex.y, dtype=np.float64)
    for (lr, w0), run in ex.runs.items():
        assert run.epochs[0].w == w0 and run.diverged_at is None
        for k, e in enumerate(run.epochs):
            r = e.w * x - y
            assert e.loss == pytest.approx(np.mean(r**2), rel=F32)
            scale = 2 * np.mean(np.abs(r * x))  # the size of the gradient's terms
            assert abs(e.grad - 2 * np.mean(r * x)) <= F32 * scale + 1e-7, (lr, w0, k)
            step = e.w - lr * e.grad
            assert abs(e.w_next - step) <= 1e-6 * max(abs(e.w), abs(lr * e.grad)), (lr, w0, k)
            if k + 1 < len(run.epochs):
                assert run.epochs[k + 1].w == e.w_next
        assert run.final.w == run.epochs[-1].w_next
        r = run.final.w * x - y
        assert run.final.loss == pytest.approx(np.mean(r**2), rel=F32)
        # and the error w - w* shrinks (or grows) by the analysis' factor every step
        factor = regimes.factor(lr, ex.mean_x2)
        for e in run.epochs:
            err = e.w - ex.w_star
            expected = factor * err
            assert e.w_next - ex.w_star == pytest.approx(expected, rel=1e-3, abs=1e-4)


def test_the_page_data_holds_each_number_as_the_lessons_readouts_write_it(ex):
    data = page_data(data_script(ex))
    assert data["lrs"] == [f"{lr:.10g}" for lr in ex.lrs]
    assert [float(s) for s in data["lrs"]] == list(ex.lrs)
    assert [float(s) for s in data["starts"]] == list(ex.starts)
    assert data["regimes"] == [regimes.regime(lr, ex.mean_x2) for lr in ex.lrs]
    assert data["bounds"] == [shown(b) for b in regimes.bounds(ex.mean_x2)]
    assert data["axes"] == {
        "costHeadroom": 1.08,
        "dataXPad": 0.05,
        "dataYReach": 1.25,
        "lossHeadroom": 1.1,
    }
    assert {r[6] for runs in data["runs"] for r in runs} == {0, 1}  # both kinds of loss axis
    assert ex.lrs[data["lesson"][0]] == ex.lesson[0]
    assert ex.starts[data["lesson"][1]] == ex.lesson[1]
    for i, w0 in enumerate(ex.starts):
        for j, lr in enumerate(ex.lrs):
            run = ex.runs[lr, w0]
            w, loss, grad, step, view, diverged, log = data["runs"][i][j]
            assert w == [shown(e.w) for e in run.epochs] + [shown(run.final.w)]
            assert loss == [shown(e.loss) for e in run.epochs] + [shown(run.final.loss)]
            assert grad == [shown(e.grad) for e in run.epochs]
            assert step == [shown(lr * e.grad) for e in run.epochs]
            assert view[0] < float(w[0]) < view[1]  # the plot's range holds the start
            assert diverged is None
            assert log == int(log_scale(run_losses := [e.loss for e in run.epochs]))
            assert log == (max(run_losses) / min(run_losses) > 1e3)  # three decades
    # the bounds' marks sit where their learning rates fall between the slider's steps
    for mark, bound in zip(data["marks"], regimes.bounds(ex.mean_x2)):
        below = max(i for i, lr in enumerate(ex.lrs) if lr <= bound)
        assert below / (len(ex.lrs) - 1) <= mark <= (below + 1) / (len(ex.lrs) - 1)


def test_the_data_file_stays_small_and_ascii(ex):
    text = data_script(ex)
    assert text.isascii() and len(text) < 120_000
    assert "NaN" not in text and "Infinity" not in text


# -- the build ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_build_writes_the_data_file_as_a_fresh_computation_writes_it(built, cfg):
    """A build output like any other: in the manifest with its content hash, and byte for
    byte what training the explorer again now writes."""
    from building import manifest

    from gdlesson.build import file_sha256

    out, _, _ = built
    entry = manifest(out)[DATA_FILE]
    assert entry["kind"] == "page-data" and len(entry["inputs"]) == 20
    assert entry["sha256"] == file_sha256(out / DATA_FILE)
    assert (out / DATA_FILE).read_text() == data_script(explore(cfg))
    page = (out / "index.html").read_text()
    assert f'<script src="{DATA_FILE}"></script>' in page and 'id="explorer"' in page


def test_the_data_files_inputs_are_the_data_and_training_settings_and_its_code():
    """What shapes the runs changes the data file's input hash; the view and theme do not."""
    from gd_engine.config import load_config as load
    from gdlesson.build import Options
    from lessons.one_weight import Plan

    code = {"explorer": "code"}

    def inputs(overrides=(), code=code):
        return Plan(load("lesson.toml", list(overrides)), Options(), code, {}).explorer_inputs()

    base = inputs()
    for changed in ("train.lr=0.2", "train.w0=-8", "train.epochs=6", "data.seed=7"):
        assert inputs([changed]) != base, changed
    for same in ("view.theme=light", "view.w_min=-20", "view.cost_points=101"):
        assert inputs([same]) == base, same
    assert inputs(code={"explorer": "edited"}) != base


# -- the page in a browser -------------------------------------------------------------------
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url, requests=None, wait_until="domcontentloaded"):
    """A new page at ``url``, its explorer drawn (its script runs as the page is parsed)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []  # the script's own (the page's subtitle tracks log theirs under file://)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until=wait_until)
    page.wait_for_selector("#ex-rows tr")
    page.errors = errors
    return page


def readouts(page) -> dict:
    """What the explorer shows, read from the page's text."""
    rows = [r.split("\t") for r in page.locator("#ex-rows tr").all_inner_texts()]
    return {
        "lr": page.locator("#ex-lr-value").inner_text(),
        "regime": page.locator("#ex-regime-name").inner_text(),
        "rows": [[cell.strip() for cell in row] for row in rows],
        "w0": page.locator("input[name=ex-w0]:checked").evaluate("e => e.labels[0].innerText"),
        "slider": page.locator("#ex-lr").input_value(),
    }


def expected_rows(trace) -> list[list[str]]:
    """The table of a trace, as the lesson's readouts write its numbers."""
    lr = trace.config.train.lr
    rows = [
        [str(e.epoch), fmt_value(e.w), fmt_value(e.loss), fmt_value(e.grad), fmt_value(lr * e.grad)]
        for e in trace.epochs
    ]
    final = trace.final
    rows.append(
        [str(len(trace.epochs)), fmt_value(final.w), fmt_value(final.loss), "\u2013", "\u2013"]
    )
    return rows


@pytest.mark.slow
def test_the_explorer_shows_the_engines_numbers_at_three_learning_rates(built, browser, cfg, ex):
    """Moved with the keyboard to a smooth, an oscillating and a divergent learning rate
    and to another start, the page's text is the engine's trace of that lr and w0, and the
    regime the analysis names; the address round-trips the set-up; no request leaves the
    page's folder."""
    out, _, _ = built
    folder = out.resolve().as_uri() + "/"
    requests: list[str] = []
    page = open_page(browser, folder + "index.html", requests, wait_until="load")
    opening = readouts(page)
    assert opening["rows"] == expected_rows(train(ex.config(cfg, *ex.lesson)))
    assert opening["lr"] == f"{cfg.train.lr:g}"
    assert opening["w0"].strip() == f"{cfg.train.w0:g}".replace("-", "\u2212")

    slider = page.locator("#ex-lr")
    slider.focus()
    lr_oscillate, _ = regimes.bounds(ex.mean_x2)
    positions = {  # from the lesson's lr: a step down, the arrows past a bound, End
        "smooth": ex.lrs.index(cfg.train.lr) - 1,
        "oscillating": next(i for i, lr in enumerate(ex.lrs) if lr > lr_oscillate) + 1,
        "divergent": len(ex.lrs) - 1,
    }
    at = ex.lrs.index(cfg.train.lr)
    start = ex.starts.index(cfg.train.w0)
    for name, index in positions.items():
        if index == len(ex.lrs) - 1:
            page.keyboard.press("End")
        else:
            for _ in range(abs(index - at)):
                page.keyboard.press("ArrowRight" if index > at else "ArrowLeft")
        at = index
        lr, w0 = ex.lrs[index], ex.starts[start]
        trace = train(ex.config(cfg, lr, w0))
        seen = readouts(page)
        assert seen["rows"] == expected_rows(trace), (name, lr)
        assert seen["regime"] == trace.analysis.regime == name
        assert seen["lr"] == f"{lr:.10g}" and seen["slider"] == str(index)
        assert f"lr={lr:.10g}" in page.url and f"w0={w0:g}" in page.url

    # another start, chosen with the keyboard on the radio group
    page.locator("input[name=ex-w0]:checked").focus()
    page.keyboard.press("ArrowRight")
    start = (start + 1) % len(ex.starts)
    lr, w0 = ex.lrs[at], ex.starts[start]
    seen = readouts(page)
    assert seen["rows"] == expected_rows(train(ex.config(cfg, lr, w0)))

    # the set-up as a link: its address opens the same set-up in a new page
    shared = page.url
    link = page.locator("#ex-link").get_attribute("href")
    assert link.startswith("?") and f"w0={w0:g}" in link
    again = open_page(browser, shared, requests)
    assert readouts(again) == seen
    assert again.url == shared
    third = open_page(browser, folder + "index.html" + link, requests)
    assert readouts(third) == seen

    assert page.errors == again.errors == third.errors == []
    for p in (page, again, third):
        p.close()
    outside = [u for u in requests if not u.startswith(folder) and not u.startswith("data:")]
    assert outside == [] and any(u.endswith(DATA_FILE) for u in requests)


@pytest.mark.slow
def test_an_address_off_the_grid_picks_the_nearest_set_up_and_a_bad_one_the_lessons(
    built, browser, cfg, ex
):
    out, _, _ = built
    page_url = out.resolve().as_uri() + "/index.html"
    page = open_page(browser, page_url + "?lr=0.2512&w0=3.6")
    lr = min(ex.lrs, key=lambda v: abs(v - 0.2512))
    w0 = min(ex.starts, key=lambda v: abs(v - 3.6))
    assert readouts(page)["rows"] == expected_rows(train(ex.config(cfg, lr, w0)))
    assert f"lr={lr:.10g}&w0={w0:g}" in page.url  # the address names the set-up shown
    page.goto(page_url + "?lr=fast&w0=", wait_until="domcontentloaded")
    assert readouts(page)["rows"] == expected_rows(train(ex.config(cfg, *ex.lesson)))
    assert page.errors == []
    page.close()


@pytest.mark.slow
def test_the_explorer_works_behind_a_web_server(built, browser, cfg, ex):
    import functools
    import http.server
    import threading

    out, _, _ = built
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}/"
        requests: list[str] = []
        lr = ex.lrs[-1]
        page = open_page(browser, f"{origin}index.html?lr={lr:.10g}&w0=4", requests)
        trace = train(ex.config(cfg, lr, 4.0))
        assert readouts(page)["rows"] == expected_rows(trace)
        assert readouts(page)["regime"] == "divergent" and page.errors == []
        page.close()
        assert all(u.startswith(origin) or u.startswith("data:") for u in requests)
    finally:
        server.shutdown()
