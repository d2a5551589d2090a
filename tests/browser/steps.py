"""Steps the browser tests share: the seed demo loaded and projected, signing in through the login page,
and the check that a page never scrolls sideways at desktop and phone widths (with its screenshots)."""
from __future__ import annotations

from pathlib import Path

from factlog.importer import import_file
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.web import PASSWORD, project

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"


def load_demo(db) -> None:
    """The seed digest's sources and claims, projected (the type-ahead and search read the read models)."""
    with db.session() as session:
        import_file(session, DEMO, "demo")
        session.commit()
        project(db, session)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")


def shoot(page, artifacts: Path, name: str) -> None:
    """Screenshots at desktop and phone width; neither may scroll sideways. Back at desktop width after."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(artifacts / f"{name}-{label}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= size["width"], f"{name} scrolls sideways at {label} width ({scroll_width}px)"
    page.set_viewport_size(DESKTOP)
