"""The slots that the lessons of ``gdlesson build --all`` share their manim processes through
(gdlesson/build.py, Slots): never more at once than the cores, the costliest waiting first."""

import threading
import time

from gdlesson.build import Slots


def test_at_most_n_hold_a_slot_and_the_costliest_waiting_goes_first():
    slots = Slots(2)
    started: list[str] = []
    running, most = [0], [0]
    lock = threading.Lock()
    release = {name: threading.Event() for name in ("a", "b", "light", "heavy", "middle")}

    def render(name: str, weight: float) -> None:
        with slots.held(weight):
            with lock:
                started.append(name)
                running[0] += 1
                most[0] = max(most[0], running[0])
            release[name].wait(5)
            with lock:
                running[0] -= 1

    def start(name: str, weight: float) -> threading.Thread:
        t = threading.Thread(target=render, args=(name, weight))
        t.start()
        return t

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 5
        while len(started) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    threads = [start("a", 1.0), start("b", 1.0)]
    wait_for(2)
    # both slots taken: three more wait, the lightest asking first
    threads += [start("light", 1.0), start("heavy", 30.0), start("middle", 10.0)]
    time.sleep(0.2)
    assert started == ["a", "b"]
    release["a"].set()
    wait_for(3)
    release["b"].set()
    wait_for(4)
    release["heavy"].set()
    wait_for(5)
    for event in release.values():
        event.set()
    for t in threads:
        t.join(5)
    assert started == ["a", "b", "heavy", "middle", "light"]
    assert most[0] == 2


def test_build_all_forced_draws_once_then_only_links(monkeypatch, capsys):
    """``build --all --force``: each lesson forced once, in the first pass (the lessons at
    once, sharing the slots); the second pass, for the pages' links, forces nothing."""
    from pathlib import Path

    from gdlesson import cli
    from gdlesson.build import Options, Report

    calls = []
    lock = threading.Lock()

    def run_build(lesson, cfg, opts):
        with lock:
            calls.append((Path(opts.config_path).stem, opts.force, opts.slots is not None))
        return Report(built=["index.html"] if opts.force else [])

    monkeypatch.setattr(cli, "_run_build", run_build)
    builds = [(None, None, Options(force=True, config_path=f"{n}.toml")) for n in ("a", "b")]
    assert cli._build_course(builds) == 0
    assert sorted(calls[:2]) == [("a", True, True), ("b", True, True)]
    assert calls[2:] == [("a", False, False), ("b", False, False)]
    assert capsys.readouterr().err.count("gdlesson build") == 2  # a summary per lesson


def test_a_lesson_of_the_course_renders_in_one_manim_process_and_alone_in_one_per_core():
    """In ``--all`` the other lessons fill the other cores: each lesson pays manim's start-up
    once. Built alone, a lesson's renders are shared out over the cores, heaviest first."""
    from types import SimpleNamespace

    from gdlesson.build import Build

    todo = [(f"lesson/beats/{i:02}_b{i}.mp4", f"Beat{i}", "", f"b{i}") for i in range(1, 6)]
    weights = {"b1": 5.0, "b2": 1.0, "b3": 4.0, "b4": 2.0, "b5": 3.0}
    alone = SimpleNamespace(opts=SimpleNamespace(slots=None, jobs=2))
    course = SimpleNamespace(opts=SimpleNamespace(slots=Slots(2), jobs=2))
    groups = Build.share_out(alone, todo, weights)
    assert [[job[3] for job in g] for g in groups] == [["b1", "b2", "b4"], ["b3", "b5"]]
    assert Build.share_out(course, todo, weights) == [todo]  # in lesson order
