"""The hosted set-up the README documents: the documents storage on an S3-compatible store
through django-storages, with the options the settings build from the environment."""

import importlib
import os
from unittest import mock

from storages.backends.s3 import S3Storage

import attune.config.settings.base as base


def test_the_s3_options_built_from_the_environment_are_ones_django_storages_accepts() -> None:
    environment = {
        "ATTUNE_DOCUMENTS_BACKEND": "storages.backends.s3.S3Storage",
        "ATTUNE_DOCUMENTS_BUCKET": "trust-attune-documents",
        "ATTUNE_DOCUMENTS_ENDPOINT_URL": "https://objects.example.nhs.uk",
        "ATTUNE_DOCUMENTS_REGION": "eu-west-2",
    }
    with mock.patch.dict(os.environ, environment):
        hosted = importlib.reload(base)
        documents = hosted.STORAGES["documents"]
    importlib.reload(base)
    assert documents["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**documents["OPTIONS"])  # no request is made until a file is read
    assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == (
        "trust-attune-documents",
        "https://objects.example.nhs.uk",
        "eu-west-2",
    )
    assert storage.default_acl is None
    assert storage.file_overwrite is False


def test_by_default_documents_are_files_outside_the_web_root() -> None:
    documents = base.STORAGES["documents"]
    assert documents["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert not str(documents["OPTIONS"]["location"]).startswith(str(base.STATIC_ROOT))
