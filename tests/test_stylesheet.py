"""attune.scss builds only the NHS.UK components Attune uses (issue 18). A template that starts
calling another component's macro must add that component's styles too, or the page would look
broken; this finds every component our templates call, and those their macros call in turn, and
checks that each one that has styles is in the stylesheet."""

import re
from pathlib import Path

import nhsuk_frontend_jinja

ROOT = Path(__file__).resolve().parents[1]
STYLESHEET = ROOT / "attune" / "frontend" / "attune.scss"
LIBRARY = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk" / "components"
MACROS = Path(nhsuk_frontend_jinja.__file__).parent / "templates" / "nhsuk" / "components"
CALLED = re.compile(r"nhsuk/components/([a-z-]+)/")


def components_called() -> set[str]:
    ours = [path for ext in ("*.jinja", "*.py") for path in (ROOT / "attune").rglob(ext) if "static" not in path.parts]
    found = {name for path in ours for name in CALLED.findall(path.read_text(encoding="utf-8"))}
    pending = set(found)
    while pending:
        name = pending.pop()
        for template in (MACROS / name).glob("*.jinja"):
            for called in CALLED.findall(template.read_text(encoding="utf-8")):
                if called not in found:
                    found.add(called)
                    pending.add(called)
    return found


def test_every_component_our_pages_call_is_styled() -> None:
    styled = set(re.findall(r'@use "nhsuk-frontend/dist/nhsuk/components/([a-z-]+)"', STYLESHEET.read_text()))
    called = components_called()
    assert {"header", "footer", "button", "date-input", "fieldset"} <= called
    with_styles = {name for name in called if (LIBRARY / name / "_index.scss").exists()}
    assert with_styles - styled == set(), "attune.scss lacks these components' styles"


def test_components_are_in_the_library_order() -> None:
    """The cascade depends on it: a later rule of the same weight wins."""
    styled = re.findall(r'@use "nhsuk-frontend/dist/nhsuk/components/([a-z-]+)"', STYLESHEET.read_text())
    library = re.findall(r'@forward "([a-z-]+)"', (LIBRARY / "_index.scss").read_text())
    assert styled == [name for name in library if name in styled]
