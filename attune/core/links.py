"""Where a task or an alert takes the person who opens it.

Actions raise tasks and alerts without building addresses (DESIGN.md convention 4): a task keeps
its kind, what it is about and the facts a link needs (ids), and the app that raised it
registers, in its AppConfig.ready, how that kind links to its page. Reading a link costs no
query, so a page of tasks stays within its budget.
"""

from collections.abc import Callable
from typing import Any

Link = Callable[[Any], str]
_task_links: dict[str, Link] = {}
_alert_links: dict[str, Link] = {}


def register_task_link(kind: str, link: Link) -> None:
    """`link(task)` gives the page where a task of this kind is done."""
    _task_links[kind] = link


def register_alert_link(about_type: str, link: Link) -> None:
    """`link(alert)` gives the page where the action taken on an alert raised by a row of
    `about_type` (an administration of a questionnaire) is recorded."""
    _alert_links[about_type] = link


def task_link(task: Any) -> str:
    link = _task_links.get(task.kind)
    return link(task) if link is not None else ""


def alert_link(alert: Any) -> str:
    link = _alert_links.get(alert.about_type)
    return link(alert) if link is not None else ""
