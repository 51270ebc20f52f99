"""How collected static files are named and stored: WhiteNoise's compressed manifest storage, with
the imports between our JavaScript modules rewritten to the hashed names too (ADR 0018)."""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Every collected file gets a content-hashed name and a gzip copy, so WhiteNoise serves it
    compressed with a year-long immutable Cache-Control.

    attune.mjs imports nhsuk-frontend.min.js and session-timeout.mjs by relative URL; without the
    rewriting below the browser would fetch them by their plain names, which WhiteNoise may cache
    for only a minute. Django rewrites module imports only in *.js files, and ours are *.mjs."""

    support_js_module_import_aggregation = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._patterns["*.mjs"] = list(self._patterns["*.js"])
