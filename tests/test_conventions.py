"""Project rules that a reviewer would otherwise have to remember (DESIGN.md, conventions 5 and 9)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "attune"
# Views live in views.py, a views/ package, or a part's own <part>_views.py (families/consent_views.py).
VIEW_MODULES = sorted([*APPS.glob("*/views.py"), *APPS.glob("*/views/*.py"), *APPS.glob("*/*_views.py")])
# Pure cores: plain Python with no Django import, so they stay fast and usable alone.
PURE_MODULES = [
    APPS / "core" / "formatting.py",
    APPS / "core" / "rows.py",
    APPS / "core" / "safety.py",
    APPS / "outcomes" / "scoring.py",
    APPS / "outcomes" / "instruments.py",
    APPS / "outcomes" / "charts.py",
    APPS / "outcomes" / "schedule.py",
    APPS / "outcomes" / "due.py",
    APPS / "families" / "naming.py",
    APPS / "families" / "alert_rules.py",
    APPS / "referrals" / "first_contact.py",
    APPS / "care" / "checkin.py",
    APPS / "accounts" / "throttle.py",
    APPS / "commissioning" / "costs.py",
    APPS / "reports" / "indicators" / "funded_posts.py",
    APPS / "interop" / "fhir_inbound.py",
    APPS / "interop" / "fhir_codes.py",
    APPS / "interop" / "mhsds_extract.py",
    APPS / "interop" / "mhsds_rules.py",
    APPS / "interop" / "import_rows.py",
    APPS / "core" / "periods.py",
    APPS / "reports" / "tables.py",
    APPS / "reports" / "suppression.py",
    APPS / "reports" / "stats.py",
    APPS / "reports" / "charts.py",
    APPS / "reports" / "exports.py",
    APPS / "supervision" / "standard.py",
    APPS / "families" / "search_keys.py",
    APPS / "search" / "query.py",
    APPS / "core" / "jobs.py",
    APPS / "nonprod" / "load.py",
]


def _objects_uses(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} uses {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]


def test_there_are_view_modules_to_check() -> None:
    assert len(VIEW_MODULES) >= 5


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_views_reach_data_only_through_the_scope(path: Path) -> None:
    """A view that calls Model.objects can skip the scope and show another team's data."""
    assert _objects_uses(path) == []


def test_the_lint_catches_a_view_that_uses_model_objects(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("from x import Team\n\ndef view(request):\n    return Team.objects.all()\n")
    assert _objects_uses(bad, tmp_path) == ["views.py:4 uses Team.objects"]


def _refusals_by_hand(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} refuses by hand with {node.func.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"not_found", "forbidden"}
    ]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_views_refuse_only_through_the_scope(path: Path) -> None:
    """scope.get and scope.found refuse (404 or 403) and audit it; a view does not do it by hand."""
    assert _refusals_by_hand(path) == []


def test_the_lint_catches_a_refusal_by_hand(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("def view(request):\n    raise request.scope.not_found('x', 1)\n")
    assert _refusals_by_hand(bad, tmp_path) == ["views.py:2 refuses by hand with not_found"]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_views_build_the_family_banner_with_the_one_helper(path: Path) -> None:
    """families.banner.banner_for: every family page shows flags and alerts the same way."""
    assert "banner_items(" not in path.read_text()


SCOPE_MODULES = sorted([*APPS.glob("*/scope.py"), *APPS.glob("*/*_scope.py")])


@pytest.mark.parametrize("path", SCOPE_MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_scope_modules_stay_small(path: Path) -> None:
    """A scope module says who may see what; look-ups that need no scope go to queries.py and
    a page's bundle to pages.py, so none grows into a catch-all (ADR 0012)."""
    assert len(path.read_text().splitlines()) <= 250


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: p.name)
def test_pure_cores_do_not_import_django(path: Path) -> None:
    tree = ast.parse(path.read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert not [name for name in imported if name.split(".")[0] == "django"]


SERVICE_MODULES = sorted([*APPS.glob("*/services.py"), *APPS.glob("*/services/*.py")])


def _service_problems(path: Path, root: Path = ROOT) -> list[str]:
    """An action takes an Actor, not the web request; it imports no presenter and builds no
    address (DESIGN.md convention 4), so a view, a job, an importer and an API call it alike."""
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(root)
    found = [
        f"{where}:{node.lineno} mentions HttpRequest"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "HttpRequest")
        or (isinstance(node, ast.alias) and node.name == "HttpRequest")
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if ".presenters" in name or name.endswith("presenters"):
                found.append(f"{where}:{node.lineno} imports {name}")
            if name.startswith("django.urls"):
                found.append(f"{where}:{node.lineno} builds addresses with {name}")
    return found


def test_there_are_service_modules_to_check() -> None:
    assert len(SERVICE_MODULES) >= 10


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(APPS)))
def test_actions_take_an_actor_and_know_nothing_of_pages(path: Path) -> None:
    assert _service_problems(path) == []


def test_the_lint_catches_a_request_a_presenter_and_an_address_in_a_service(tmp_path: Path) -> None:
    bad = tmp_path / "services.py"
    bad.write_text(
        "from django.http import HttpRequest\n"
        "from django.urls import reverse\n"
        "from attune.families.presenters import tag_html\n\n"
        "def act(*, request: HttpRequest) -> str:\n    return reverse('x')\n"
    )
    assert _service_problems(bad, tmp_path) == [
        "services.py:1 mentions HttpRequest",
        "services.py:5 mentions HttpRequest",
        "services.py:2 builds addresses with django.urls.reverse",
        "services.py:3 imports attune.families.presenters.tag_html",
    ]


def test_migrations_match_the_models(db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_audited_action_has_a_label_for_the_audit_log() -> None:
    """An information governance lead reads actions in words; a new action without a label
    would show as its code."""
    import re

    from attune.governance.presenters import ACTION_LABELS

    sources = [path for path in APPS.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts]
    actions = {match for path in sources for match in re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text())}
    assert len(actions) > 50
    assert sorted(actions - ACTION_LABELS.keys()) == []


def _app_order() -> list[str]:
    from django.conf import settings

    return [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("attune.")]


def _upward_imports(order: list[str]) -> list[str]:
    rank = {app: i for i, app in enumerate(order)}
    found = []
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS).parts
        if parts[0] not in rank or "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                bits = name.split(".")
                if bits[0] == "attune" and len(bits) > 1 and rank.get(bits[1], -1) > rank[parts[0]]:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_apps_import_only_from_apps_before_them() -> None:
    """DESIGN.md: dependencies point one way, in INSTALLED_APPS order (ADR 0001)."""
    assert _upward_imports(_app_order()) == []


def test_the_import_lint_sees_an_upward_import() -> None:
    order = _app_order()
    # Move commissioning to the end: reports, which reads it, would then import an app after it.
    swapped = [app for app in order if app != "commissioning"] + ["commissioning"]
    assert any("attune.commissioning" in line for line in _upward_imports(swapped))


def _date_casts(path: Path, root: Path = ROOT) -> list[str]:
    """Filters that take the date of a date-time column (`starts_at__date=...`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} filters on {keyword.arg}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg and re.search(r"_at__date(__|$)", keyword.arg)
    ]


APP_MODULES = sorted(p for p in APPS.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)


def test_no_filter_takes_the_date_of_a_date_time() -> None:
    """A date-time column is filtered by a range of times, never by its date (`starts_at__date`):
    SQLite works out each row's local date by calling Python, on every row of the table. The
    practitioner's home page counting today's appointments that way took a second at region scale
    on SQLite (issue 18)."""
    assert [found for path in APP_MODULES for found in _date_casts(path)] == []


def test_the_date_cast_lint_sees_one(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text("Appointment.objects.filter(starts_at__date=today, ends_at__date__gte=day)\n")
    assert len(_date_casts(module, tmp_path)) == 2
