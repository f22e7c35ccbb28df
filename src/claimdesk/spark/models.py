"""The analysis models, loaded once per executor's Python process.

PySpark runs each task's Python in a worker process that it keeps for the next task
(``spark.python.worker.reuse``, on by default, and the job leaves it on), so models held
at module level outlive the task: they load with the first partition a worker analyses and
serve every later one. ``analyze._load_models`` already keeps them for the life of the
process (the CLI's own cache); this module only makes sure it runs before the first
record, offline, and counts how many processes loaded them (the job's ``model_loads``
accumulator: at most one per Python worker, never one per record or per task).
"""

from __future__ import annotations

import os

# The models ship inside the installed packages; nothing may be fetched from a hub on an executor.
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}

_loaded = False


def ensure_loaded(loads=None) -> bool:
    """Load the models in this process unless it has them; True when it loaded them now
    (``loads``, a Spark accumulator, then counts one)."""
    global _loaded
    if _loaded:
        return False
    for name, value in OFFLINE.items():
        os.environ.setdefault(name, value)
    from ..analyze import _load_models
    from ..analyze.language import identify_text

    _load_models()
    identify_text("A sentence to load the language identifier with.")
    _loaded = True
    if loads is not None:
        loads.add(1)
    return True


def loaded() -> bool:
    return _loaded
