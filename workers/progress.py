"""Progress of a rebuild: factlog's general helper (a bar on a terminal, log lines otherwise)."""
from factlog.progress import Progress, stderr_progress

__all__ = ["Progress", "stderr_progress"]
