"""The course's lessons: one package per lesson (see gdlesson/registry.py and
docs/new-lesson.md), beside their parameter files (``<name>.toml``) and narration."""
