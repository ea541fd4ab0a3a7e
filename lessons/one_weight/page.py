"""What the first lesson's page shows: the whole lesson with its chapters and transcript,
the descent and the regimes, each beat's animation, words and clip, the figures and the
parameters, with alt texts that say what each picture shows, its numbers from the trace."""

from __future__ import annotations

from gd_engine.regimes import PRESETS, preset_lr
from gdlesson.explorer import section as explorer_section
from gdlesson.page import (
    Animation,
    Lesson,
    Page,
    Pair,
    Parameters,
    Part,
    Section,
    Video,
    Words,
    figures_section,
)

LEAD = "One parameter, batch gradient descent, every number from the run itself."
MINUS = "\u2212"  # as the pictures write it


def number(v: float) -> str:
    """A trace value as the pictures show it: 4 decimals, scientific past a million."""
    return (f"{v:.3e}" if abs(v) >= 1e6 else f"{v:.4f}").replace("-", MINUS)


def setting(v: float) -> str:
    """A parameter as the lesson's file gives it: -10.0 -> −10, 0.1 -> 0.1."""
    return f"{v:g}".replace("-", MINUS)


def lesson_page(build, links, titles: dict[str, str]) -> Page:
    """The page of a build of the first lesson; ``links``: (folder, title) of the lessons
    after it built beside it, in teaching order; ``titles``: each beat's title."""
    trace, outputs, narration = build.trace, build.outputs, build.narration
    beats = build.beats
    page = Page(build.lesson.title, LEAD)
    page.course = [Lesson("#", build.lesson.title, current=True)]
    page.course += [Lesson(f"{folder}/index.html", title) for folder, title in links]
    alts = beat_alt_texts(trace)

    if "lesson/Lesson.mp4" in outputs:
        transcript = tuple(
            Part(f"{i}. {titles[b]}", narration[b].text) for i, b in enumerate(beats, 1)
        )
        video = Video(
            "lesson/Lesson",
            "The whole lesson",
            transcript,
            chapters="lesson/chapters.vtt",
            id="lesson-video",
            preload="metadata",
        )
        page.sections.append(Section("lesson", "The lesson", [video]))
    for name, heading in (("descent", "The descent"), ("regimes", "Learning rates compared")):
        if f"gifs/{name}.gif" in outputs:
            animation = Animation(f"gifs/{name}.gif", alts[name])
            page.sections.append(Section(name, heading, [animation]))
    explorer = explorer_section(outputs)  # when the build wrote its runs
    if explorer:
        page.sections.append(explorer)

    by_beat = Section("beats", "Beat by beat")
    for i, beat in enumerate(beats, 1):
        stem = f"lesson/beats/{i:02d}_{beat}"
        left = [Animation(f"gifs/{beat}.gif", alts[beat])] if f"gifs/{beat}.gif" in outputs else []
        right = [Words(narration[beat].text)] if beat in narration else []
        if f"{stem}.mp4" in outputs:
            right.append(Video(stem, f"Beat {i}, {titles[beat]}"))
        heading = f"{i}. {titles[beat]}"
        by_beat.subsections.append(
            Section(beat, heading, [Pair(tuple(left), tuple(right))], css_class="beat")
        )
    page.sections.append(by_beat)

    figures = figures_section(outputs, figure_texts(trace))
    if figures:
        page.sections.append(figures)
    tables = build.cfg.to_dict()
    tables["train"]["lr"] = trace.config.train.lr  # a preset derives it from the data
    page.sections.append(Section("parameters", "Parameters", [Parameters(tables)]))
    return page


def beat_alt_texts(trace) -> dict[str, str]:
    """What each beat's animation (and the descent's and the regimes') shows, with the
    trace's numbers."""
    cfg, data, epochs = trace.config, trace.data, trace.epochs
    n_points, w0, lr = len(data.x), cfg.train.w0, cfg.train.lr
    first, final = epochs[0], trace.final
    w_star = trace.analysis.w_star
    falls = "falls" if final.loss < first.loss else "grows"
    losses = ", ".join(number(v) for v in trace.loss_history)
    walk = (
        f"w goes from {number(first.w)} to {number(final.w)} in {len(epochs)} steps "
        f"(the minimum is at w = {number(w_star)}) and the loss {falls} from "
        f"{number(first.loss)} to {number(final.loss)}"
    )
    span = f"x from {number(min(data.x))} to {number(max(data.x))}"
    tangents = ", ".join(number(e.grad) for e in epochs[:5])
    presets = ", ".join(
        f"{name} (lr {preset_lr(name, trace.analysis.mean_x2):.4g})" for name in PRESETS
    )
    return {
        "data": (
            f"The data panel: {n_points} red points, the line y = {setting(cfg.data.slope)}x "
            f"plus Gaussian noise of standard deviation {setting(cfg.data.noise_std)}, for "
            f"{span}, drawn around the green true line, beside the code that makes them."
        ),
        "model_and_cost": (
            "The code of the model, the prediction w times x, and of the cost, the mean "
            f"squared error over the {n_points} points, beside the data panel."
        ),
        "settings": (
            f"The settings in the code: learning rate {setting(lr)}, {cfg.train.epochs} "
            f"epochs, and w created at {setting(w0)} with requires_grad=True."
        ),
        "cost_at_start": (
            f"The forward pass at w = {number(first.w)}: the predictions w·x and the mean "
            f"of the squared errors worked out term by term, counting up to the cost "
            f"{number(first.loss)}; the blue fitted line is drawn over the data."
        ),
        "backward": (
            f"loss.backward() at w = {number(first.w)}: the derivative of the cost is worked "
            f"out to {number(first.grad)}, the number that lands in w.grad."
        ),
        "update_and_zero": (
            f"The update w.data = w.data − {setting(lr)} · w.grad takes w from "
            f"{number(first.w)} to {number(first.w_next)}; then w.grad is set back to 0."
        ),
        "cost_curve": (
            f"The cost curve over w, lowest at w = {number(w_star)}, with the blue dot at "
            f"w = {number(first.w)} where the cost is {number(first.loss)}."
        ),
        "fit": (
            f"The data with the blue fitted line y = {number(first.w)}·x through the "
            f"origin, and the green true line of slope {setting(cfg.data.slope)}."
        ),
        "iterate": (
            f"The loop run {len(epochs)} times: the dot moves along the cost curve and the "
            f"fitted line turns; {walk}. The loss plot fills with each iteration."
        ),
        "why_it_slows": (
            f"Tangents on the cost curve at the first iterates, of slopes {tangents}: each "
            f"step is the learning rate times the slope, so the steps shorten as the curve "
            f"flattens near its minimum at w = {number(w_star)}."
        ),
        "loss_history": (
            f"The code appending loss.item() to the list loss_history, one value per "
            f"iteration: {losses}."
        ),
        "loss_plot": (
            f"The list loss_history plotted against the iteration number, points joined by "
            f"straight lines: {losses}."
        ),
        "all_together": (
            f"The cost curve, the fitted line and the loss per iteration, moving in step: {walk}."
        ),
        "close": (
            f"Both views side by side, the dot on the cost curve at w = {number(final.w)} and "
            f"the loss per iteration from {number(first.loss)} to {number(final.loss)}."
        ),
        "descent": (
            f"The cost curve, the data with the fitted line and the loss per iteration over "
            f"all {len(epochs)} epochs, looping: {walk}."
        ),
        "regimes": (
            f"Four learning rates on the same data, side by side: {presets}. Each dot's path "
            "on its cost curve: the slow one creeps, the smooth one slides in, the "
            "oscillating one zig-zags in, the divergent one swings further out each step; "
            "and every loss on one plot."
        ),
    }


def figure_texts(trace) -> dict[str, tuple[str, str]]:
    """Each figure's caption and alt text (by its file's stem), with the trace's numbers."""
    epochs, final = trace.epochs, trace.final
    texts = {}
    for k in range(len(epochs) + 1):
        w, loss = (epochs[k].w, epochs[k].loss) if k < len(epochs) else (final.w, final.loss)
        tangent = (
            f", and the tangent there of slope {number(epochs[k].grad)}" if k < len(epochs) else ""
        )
        texts[f"cost_epoch{k:02d}"] = (
            f"The cost at epoch {k}",
            f"The cost curve over w from {number(trace.cost_curve.w[0])} to "
            f"{number(trace.cost_curve.w[-1])}, with the dot at epoch {k}: w = {number(w)}, "
            f"loss {number(loss)}{tangent}.",
        )
        texts[f"fit_epoch{k:02d}"] = (
            f"The fit at epoch {k}",
            f"The {len(trace.data.x)} data points with the true line of slope "
            f"{setting(trace.config.data.slope)} and the fitted line y = {number(w)}·x at "
            f"epoch {k}.",
        )
    history = trace.loss_history
    texts["loss_per_iteration"] = (
        "Loss per iteration",
        f"The loss at each of {len(history)} iterations, joined by straight lines: "
        + ", ".join(number(v) for v in history)
        + ".",
    )
    return texts
