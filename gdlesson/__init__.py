"""gdlesson: the command line and the build that turn the lesson into renders.

``gd_engine`` is the pure engine (config, training, trace); ``scenes`` draws; this package
runs them: ``gdlesson trace``, ``gdlesson render``, ``gdlesson build``.
"""
