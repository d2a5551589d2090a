"""``factlog import FILE``: sources and claims from YAML or JSON, idempotently (docs/import-format.md)."""
from factlog.importer.apply import ImportResult, apply_plan, import_file
from factlog.importer.file_format import ImportFileError, ImportPlan, build_plan, read_file

__all__ = ["ImportFileError", "ImportPlan", "ImportResult", "apply_plan", "build_plan", "import_file",
           "read_file"]
