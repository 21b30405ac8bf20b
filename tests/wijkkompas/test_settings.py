"""Production settings come from environment variables and fail loudly when one is missing
or cannot work."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from .support import load_production_settings, production_settings


def test_a_missing_secret_key_stops_production_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        load_production_settings(DJANGO_SECRET_KEY=None)


def test_a_missing_database_url_stops_production_with_a_clear_message():
    with pytest.raises(
        ImproperlyConfigured, match=r"DATABASE_URL is not set\. Production \(DJANGO_DEBUG=false\) needs"
    ):
        load_production_settings(DATABASE_URL=None)


def test_development_needs_neither():
    development = load_production_settings(DJANGO_DEBUG="true", DJANGO_SECRET_KEY=None, DATABASE_URL=None)
    assert development.DEBUG is True
    assert development.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


class TestDatabase:
    def test_postgresql_connections_are_reused_with_health_checks_and_a_connect_timeout(self, production):
        database = production["DATABASES"]["default"]
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["OPTIONS"]["connect_timeout"] == 5

    def test_reuse_and_timeout_come_from_the_environment(self):
        database = production_settings("DATABASES", DATABASE_CONN_MAX_AGE="300", DATABASE_CONNECT_TIMEOUT="2")
        assert database["DATABASES"]["default"]["CONN_MAX_AGE"] == 300
        assert database["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 2

    def test_statements_are_prepared_unless_a_pooler_forbids_it(self, production):
        options = production["DATABASES"]["default"]["OPTIONS"]
        assert options["server_side_binding"] is True and options["prepare_threshold"] == 2
        behind_pgbouncer = production_settings("DATABASES", DATABASE_PREPARED_STATEMENTS="false")
        options = behind_pgbouncer["DATABASES"]["default"]["OPTIONS"]
        assert "server_side_binding" not in options and "prepare_threshold" not in options

    def test_a_bad_number_is_refused(self):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE must be a whole number, not 'lang'"):
            load_production_settings(DATABASE_CONN_MAX_AGE="lang")


class TestCache:
    def test_the_database_cache_is_the_default(self, production):
        cache = production["CACHES"]["default"]
        assert cache == {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}

    def test_redis_is_used_when_redis_url_is_set(self):
        cache = production_settings("CACHES", REDIS_URL="redis://127.0.0.1:6379/3")["CACHES"]["default"]
        assert cache["BACKEND"] == "django_redis.cache.RedisCache"
        assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"


class TestUploadStorage:
    def test_uploads_go_to_local_disk_by_default(self, production):
        assert production["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
        assert production["MEDIA_ROOT"] == Path("/srv/wijkkompas/uploads")

    def test_s3_without_its_packages_stops_with_a_clear_message(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "boto3", None)  # hidden even where the s3 extra is installed
        with pytest.raises(ImproperlyConfigured) as refused:
            load_production_settings(AWS_STORAGE_BUCKET_NAME="wijkkompas-uploads")
        assert "AWS_STORAGE_BUCKET_NAME is set, but django-storages and boto3 are not installed" in str(refused.value)
        assert "pip install '.[s3]'" in str(refused.value)

    @pytest.mark.skipif(
        importlib.util.find_spec("boto3") is None or importlib.util.find_spec("storages") is None,
        reason="the s3 extra is not installed (pip install '.[s3]')",
    )
    def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_set(self):
        storage = production_settings(
            "STORAGES",
            AWS_STORAGE_BUCKET_NAME="wijkkompas-uploads",
            AWS_S3_ENDPOINT_URL="https://objects.example.nl",
        )["STORAGES"]["default"]
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "wijkkompas-uploads"
        assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.nl"
        assert storage["OPTIONS"]["default_acl"] == "private"
