"""Where evidence files are stored, read from the environment: the filesystem under
MEDIA_ROOT by default (git-ignored, outside the static files), an S3-compatible bucket
with EVIDENCE_STORAGE=s3; anything else is refused at start with a clear message."""

import json

import pytest

from tests.fresh_django import ROOT, environment, run_python

SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps([settings.STORAGES['evidence'], str(settings.MEDIA_ROOT)]))"
)
CLEARED = {"EVIDENCE_STORAGE", "MEDIA_ROOT", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL",
           "AWS_S3_REGION_NAME", "AWS_LOCATION"}  # fmt: skip


def evidence_settings(**env):
    environ = environment(removed=CLEARED, DJANGO_SETTINGS_MODULE="hearings.settings", **env)
    return run_python(SHOW, environ)


def test_by_default_files_go_to_media_evidence_readable_by_the_app_only():
    result = evidence_settings()
    storage, media_root = json.loads(result.stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["location"] == str(ROOT / "media" / "evidence")
    assert storage["OPTIONS"]["file_permissions_mode"] == 0o600
    assert media_root == str(ROOT / "media")
    assert "/media/" in (ROOT / ".gitignore").read_text().splitlines()


def test_media_root_moves_the_folder(tmp_path):
    storage, _media_root = json.loads(evidence_settings(MEDIA_ROOT=str(tmp_path)).stdout)
    assert storage["OPTIONS"]["location"] == str(tmp_path / "evidence")


def test_s3_takes_the_bucket_and_endpoint_from_the_environment():
    result = evidence_settings(
        EVIDENCE_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="hearings-evidence",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="eu-west-3",
    )
    storage, _media_root = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "hearings-evidence",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-west-3",
        "location": "evidence",
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EVIDENCE_STORAGE": "ftp"}, "EVIDENCE_STORAGE must be filesystem or s3, not 'ftp'"),
        ({"EVIDENCE_STORAGE": "s3"}, "EVIDENCE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_a_wrong_storage_is_refused_at_start(env, message):
    result = evidence_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
