"""Messages that name a role or a kind read as English: "an editor", "a fact-checker", "an organization"."""
import pytest

from factlog.words import role_name, with_article


@pytest.mark.parametrize("noun, written", [
    ("editor", "an editor"), ("admin", "an admin"), ("fact-checker", "a fact-checker"),
    ("organization", "an organization"), ("outlet", "an outlet"), ("unnamed source", "an unnamed source"),
    ("person", "a person"), ("government body", "a government body"), ("Editor", "an Editor"),
])
def test_the_article_follows_the_first_letter(noun, written):
    assert with_article(noun) == written


def test_roles_are_written_with_a_hyphen():
    assert role_name("fact_checker") == "fact-checker" and role_name("editor") == "editor"
