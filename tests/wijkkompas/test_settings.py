"""Production settings come from environment variables and fail loudly when one is missing
or cannot work."""

from __future__ import annotations

import importlib.util

import pytest

from .support import production_env, production_settings, run_python


def test_a_missing_secret_key_stops_production_with_a_clear_message():
    result = run_python("import django; django.setup()", production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_missing_database_url_stops_production_with_a_clear_message():
    result = run_python("import django; django.setup()", production_env(DATABASE_URL=None))
    assert result.returncode != 0
    assert "DATABASE_URL is not set. Production (DJANGO_DEBUG=false) needs PostgreSQL" in result.stderr


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
        result = run_python("import django; django.setup()", production_env(DATABASE_CONN_MAX_AGE="lang"))
        assert result.returncode != 0
        assert "DATABASE_CONN_MAX_AGE must be a whole number, not 'lang'" in result.stderr


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
        assert production["MEDIA_ROOT"] == "/srv/wijkkompas/uploads"

    def test_s3_without_its_packages_stops_with_a_clear_message(self):
        # Hide boto3 even where the s3 extra happens to be installed.
        code = "import sys; sys.modules['boto3'] = None\nimport django; django.setup()"
        result = run_python(code, production_env(AWS_STORAGE_BUCKET_NAME="wijkkompas-uploads"))
        assert result.returncode != 0
        assert "AWS_STORAGE_BUCKET_NAME is set, but django-storages and boto3 are not installed" in result.stderr
        assert "pip install '.[s3]'" in result.stderr

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
