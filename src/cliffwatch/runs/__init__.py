"""Runs: where a stress run is planned, executed and published.

Orchestration of one run over several scenarios (``job``), the Monte Carlo over blocks of paths
(``montecarlo``) and where the blocks execute (here or on Dask, ``cluster``), the memory plan
(``memory``), reverse stress on the median path (``reverse``) and the ``cliffwatch run`` /
``cliffwatch project`` commands (``commands``). It sits above every other layer: tape, market,
engine, analytics, store and report are its inputs.
"""
