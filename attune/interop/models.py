"""Data in and out (DESIGN.md: an interop app after reports; it reads and writes through every
app's actions). The models live in one module per part."""

from attune.interop.api_models import *  # noqa: F403
from attune.interop.fhir_models import *  # noqa: F403
from attune.interop.import_models import *  # noqa: F403
