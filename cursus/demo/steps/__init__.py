"""The steps of a demo build, one module per area.

``organisation`` (departments, centres, institutes), ``catalogue`` (units),
``diplomas``, ``calendar`` (years and terms), ``offerings`` and ``people``
(demo accounts, teachers, employers, learners); ``vocabulary``, ``names``
and ``identifiers`` supply the words and numbers they compose. ``history``
loads the past years of the learners whose paths ``trajectories`` draws from
the inputs of ``population``, and holds the year's juries.
"""
