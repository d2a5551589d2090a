"""The English of messages that name a role or a kind of source: "an editor", "a fact-checker"."""
from __future__ import annotations


def with_article(noun: str) -> str:
    """``noun`` after "a" or "an", by its first letter (factlog's roles and kinds have no silent h or "u" said
    "you"): "an editor", "an organization", "a fact-checker"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def role_name(role: str) -> str:
    """A role as a reader writes it: "fact_checker" -> "fact-checker"."""
    return role.replace("_", "-")
