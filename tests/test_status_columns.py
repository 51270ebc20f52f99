"""A referral's status and an episode's last event are kept on their rows, equal to the latest row
of their history (issue 18, ADR 0017). That holds only while every history row is written by the
functions that write the columns with it: this lint finds any other writer."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORIES = {"ReferralStatus", "EpisodeEvent"}
# The related names of the histories: referral.history.create(...), episode.events.create(...).
RELATED = {"history", "events"}
CREATES = {"create", "bulk_create", "get_or_create", "update_or_create"}
MOVES = {"update"}
# Functions that put the columns back after moving history rows in the table.
SYNCS = {"sync_status", "sync_last_event"}
# Where history rows may be made, with why.
WRITERS = {
    # The one writer of each history, which writes the columns in the same transaction.
    ("attune/referrals/services.py", "append_status"),
    ("attune/referrals/services.py", "append_statuses"),
    ("attune/care/services.py", "append_event"),
    ("attune/care/services.py", "append_events"),
    # The region generator builds rows in memory for bulk_create and sets the columns on the
    # referral and episode from the last row it builds (nonprod/tests/test_region.py checks them).
    ("attune/nonprod/region.py", "_statuses"),
    ("attune/nonprod/region.py", "episode"),
    # The import's bulk siblings of allocate_episode and submit_referral/decide build rows in
    # memory and hand them to append_events / append_statuses (interop/tests/test_import_bulk.py).
    ("attune/care/bulk.py", "allocate_episodes"),
    ("attune/referrals/bulk.py", "receive_referrals"),
}


def _names_a_history(node: ast.expr) -> bool:
    """Whether the expression a method is called on is a history: its model, a queryset of it,
    or a related manager (.history, .events)."""
    if isinstance(node, ast.Attribute) and node.attr in RELATED:
        return True
    return any(isinstance(part, ast.Name) and part.id in HISTORIES for part in ast.walk(node))


def _functions(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """Each function with its body, innermost last; module-level code counts as ''."""
    found: list[tuple[str, ast.AST]] = [("", tree)]
    found += [(node.name, node) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    return found


def _owner(tree: ast.AST, target: ast.AST) -> tuple[str, ast.AST]:
    """The innermost function holding the node."""
    owner: tuple[str, ast.AST] = ("", tree)
    for name, function in _functions(tree):
        if function is not tree and any(node is target for node in ast.walk(function)):
            owner = (name, function)  # ast.walk is breadth-first: later ones are nested deeper
    return owner


def _calls(function: ast.AST) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def history_writers(path: Path, root: Path = ROOT, *, is_test: bool = False) -> list[str]:
    """Where the module makes (or, outside tests, moves) history rows other than through the
    writers. A test may build rows in memory (a presenter's, or rows for append_statuses);
    code that moves rows in the table must put the columns back (sync_*) in the same function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        built = not is_test and (
            (isinstance(func, ast.Name) and func.id in HISTORIES)
            or (isinstance(func, ast.Attribute) and func.attr in HISTORIES)
        )
        written = isinstance(func, ast.Attribute) and func.attr in CREATES and _names_a_history(func.value)
        moved = not is_test and isinstance(func, ast.Attribute) and func.attr in MOVES and _names_a_history(func.value)
        if not (built or written or moved):
            continue
        name, function = _owner(tree, node)
        if (where, name) in WRITERS:
            continue
        if moved and not built and not written and _calls(function) & SYNCS:
            continue
        what = "moves" if moved else "makes"
        found.append(f"{where}:{node.lineno} {what} history rows in {name or 'the module'}()")
    return found


def _modules() -> list[tuple[Path, bool]]:
    paths = sorted([*(ROOT / "attune").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])
    return [
        (path, "tests" in path.relative_to(ROOT).parts)
        for path in paths
        if "migrations" not in path.parts and path.name != Path(__file__).name
    ]


def test_history_rows_are_made_only_by_the_functions_that_keep_the_columns() -> None:
    found = [line for path, is_test in _modules() for line in history_writers(path, is_test=is_test)]
    assert found == []


def test_there_are_writers_to_allow() -> None:
    for where, name in WRITERS:
        tree = ast.parse((ROOT / where).read_text())
        assert name in {function for function, _ in _functions(tree)}, f"{where} has no {name}()"


def test_the_lint_catches_a_history_row_made_or_moved_elsewhere(tmp_path: Path) -> None:
    bad = tmp_path / "services.py"
    bad.write_text(
        "def accept(referral):\n"
        "    ReferralStatus.objects.create(referral=referral, status='accepted')\n"
        "    referral.history.create(status='accepted')\n"
        "\n"
        "def backdate(episode):\n"
        "    EpisodeEvent.objects.filter(episode=episode).update(at=None)\n"
        "\n"
        "def backdate_and_sync(episode):\n"
        "    EpisodeEvent.objects.filter(episode=episode).update(at=None)\n"
        "    Episode.objects.filter(pk=episode.pk).sync_last_event()\n"
        "\n"
        "rows = [EpisodeEvent(kind='allocated')]\n"
    )
    assert history_writers(bad, tmp_path) == [
        "services.py:2 makes history rows in accept()",
        "services.py:3 makes history rows in accept()",
        "services.py:6 moves history rows in backdate()",
        "services.py:12 makes history rows in the module()",
    ]


def test_the_lint_lets_a_test_build_rows_in_memory_but_not_write_them(tmp_path: Path) -> None:
    test = tmp_path / "test_x.py"
    test.write_text(
        "def test_x(referral):\n"
        "    row = ReferralStatus(status='received')\n"
        "    append_statuses([ReferralStatus(referral=referral, status='received')])\n"
        "    ReferralStatus.objects.bulk_create([row])\n"
    )
    assert history_writers(test, tmp_path, is_test=True) == ["test_x.py:4 makes history rows in test_x()"]
