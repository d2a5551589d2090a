"""Sources: the people, bodies, outlets, polls, documents, collectives and unnamed sources of claims."""
from factlog.sources.commands import AddSourceAlias, MergeSources, RegisterSource
from factlog.sources.duplicates import Candidate, LikelyDuplicateSource, find_likely_duplicates
from factlog.sources.events import SourceAbsorbed, SourceAliasAdded, SourceMerged, SourceRegistered
from factlog.sources.index import SourceIndex, load_source_index
from factlog.sources.schemas import AddSourceAliasSchema, MergeSourcesSchema, RegisterSourceSchema
from factlog.sources.services import handle, load_source, run
from factlog.sources.source import KINDS, Source, stream_id

__all__ = [
    "KINDS", "AddSourceAlias", "AddSourceAliasSchema", "Candidate", "LikelyDuplicateSource", "MergeSources",
    "MergeSourcesSchema", "RegisterSource", "RegisterSourceSchema", "Source", "SourceAbsorbed",
    "SourceAliasAdded", "SourceIndex", "SourceMerged", "SourceRegistered", "find_likely_duplicates", "handle",
    "load_source", "load_source_index", "run", "stream_id",
]
