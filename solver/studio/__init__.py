"""qualpath studio: a browser workspace where a curriculum designer edits a structure and sees every answer live.

A face, like the command line: it asks the same answers and returns the same result objects'
``to_dict()`` as ``--json``. :mod:`.workspace` is the one gate to files (paths, versions,
history, conflicts); :mod:`.analysis` asks the answers; :mod:`.jobs` runs long work in child
processes with time limits and cancel; :mod:`.yamledit` keeps the builder and the YAML text in
step (comments kept); :mod:`.api` is the Starlette application (endpoints in :mod:`.files_api` and
:mod:`.answers_api`, what they share in :mod:`.requests`) and :mod:`.openapi` its description;
:mod:`.server` runs it. Only ``solver.cli.studio`` imports this package, lazily.
"""

__all__ = ["api", "server", "workspace"]
