"""Documents and video-feedback recordings kept on a family's record (DESIGN.md: a documents app
after care; a recording belongs to a session). The models live in one module per part."""

from attune.documents.document_models import *  # noqa: F403
from attune.documents.recording_models import *  # noqa: F403
