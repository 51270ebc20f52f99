"""NHS.UK macros drawn once per distinct set of parameters (issue 18).

Every page draws the same header (logo, service name, search box, account links, navigation) and
footer. nhsuk-frontend-jinja's header macro takes about 6.5 ms a call, most of it one macro call
per attribute: about a third of the trivial signed-in page. Its output depends only on its
parameters, and a person sees the same few sets of them again and again (one per section of the
navigation), so `macro_once` keeps each output in a small per-process LRU cache keyed by the
parameters (the oldest of SIZE dropped), and draws again on a miss. Nothing is shared between processes or needed for
correctness: a cold cache only costs the first draw.

What differs on every request must not be in the key: a CSRF token goes in as `SLOT` and is put in
after the look-up (`slots`). The slot is random per process, so no value a person types can equal it.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, Undefined, pass_environment
from markupsafe import Markup

SLOT = f"attune-slot-{secrets.token_hex(16)}"
SIZE = 512


class _Unkeyable(Exception):
    """A parameter the key cannot hold (an object): the macro is drawn without the cache."""


def _key(value: Any) -> Any:
    # Markup and str are told apart: the macro escapes one and not the other.
    if isinstance(value, Markup):
        return ("html", str(value))
    if value is None or isinstance(value, str | bool | int | float):
        return (type(value).__name__, value)
    if isinstance(value, Undefined):
        return ("undefined",)
    if isinstance(value, Mapping):
        return ("map", tuple((str(k), _key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(_key(v) for v in value))
    raise _Unkeyable(type(value).__name__)


_drawn: OrderedDict[Any, str] = OrderedDict()
_lock = threading.Lock()


def _macro(env: Environment, template: str, name: str) -> Any:
    return getattr(env.get_template(template).module, name)


@pass_environment
def macro_once(
    env: Environment, template: str, name: str, params: Any, slots: Mapping[str, Any] | None = None
) -> Markup:
    """`{{ name(params) }}` from `template`, drawn once per distinct `params`; each key of `slots`
    found in the output is replaced by its value (escaped unless it is Markup)."""
    try:
        key = _key(params)
    except _Unkeyable:
        html = str(_macro(env, template, name)(params))
    else:
        key = (id(env), template, name, key)
        with _lock:
            found = _drawn.get(key)
            if found is not None:
                _drawn.move_to_end(key)
        if found is None:
            found = str(_macro(env, template, name)(params))
            with _lock:
                _drawn[key] = found
                while len(_drawn) > SIZE:
                    _drawn.popitem(last=False)
        html = found
    for slot, value in (slots or {}).items():
        html = html.replace(slot, str(Markup.escape(value)))
    return Markup(html)  # noqa: S704 - the macro's own output, with escaped values in its slots
