"""The local web dashboard (``cliffwatch serve``): upload a tape, run scenarios, explore runs.

Services (upload parsing, scenario editing, the run queue, result filtering, borrower traces)
are plain Python modules tested on their own; the Dash layout and callbacks sit on top of them.
"""
