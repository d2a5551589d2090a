"""Drive the web pages with Flask's test client: sign in, read forms as a browser would, send them back."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import sqlalchemy as sa

from factlog.accounts.users import create_user, find_user
from factlog.eventstore.tables import events
from tests.support.projections import wait_until_visible

PASSWORD = "correct horse battery staple"


def make_user(db, role: str, email: str | None = None) -> str:
    email = email or f"{role.replace('_', '-')}@example.org"
    with db.session() as session:
        if find_user(session, email) is None:
            create_user(session, email, role.replace("_", " ").title(), role, PASSWORD)
            session.commit()
    return email


def sign_in(client, email: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(page.text)})


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def project(db, session) -> None:
    """Run every projection in this process up to the last committed event (the worker's job)."""
    from workers.projectors import all_projections
    from workers.runner import catch_up, live

    last = session.execute(sa.select(sa.func.max(events.c.position))).scalar()
    session.rollback()
    if last is not None:
        wait_until_visible(session, last)
        session.rollback()
    for projection in all_projections():
        catch_up(db, [live(projection)])


@dataclass
class Form:
    """A form as a browser would send it: every field's current value (checked boxes only)."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)

    def with_values(self, **values: str) -> dict[str, str]:
        return {**self.fields, **{name.replace("__", "-"): value for name, value in values.items()}}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
        elif not self.forms or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.forms[-1].fields[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select is not None and (
                "selected" in attrs or self._select not in self.forms[-1].fields):
            self.forms[-1].fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline right after <textarea>; the stdlib parser keeps it.
            value = self.forms[-1].fields[self._textarea]
            self.forms[-1].fields[self._textarea] = value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form(html: str, action_contains: str) -> Form:
    [found] = [candidate for candidate in forms(html) if action_contains in candidate.action]
    return found


def field_errors(html: str) -> dict[str, str]:
    """The messages shown beside fields: ``{field: text}``."""
    found = re.findall(r'<div class="field-error" id="([^"]+)-error">(.*?)</div>', html, re.DOTALL)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).replace("Error: ", "").strip()
            for name, text in found}
