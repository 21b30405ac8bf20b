"""Settings for Wijkkompas.

One settings module for every environment. Everything that differs between a laptop and
production comes from environment variables, read through the small helpers below that
fail loudly on a value they cannot understand.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=false) needs a long random secret."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-use"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "wijkkompas",  # its management commands: wait_for_db
    "accounts",
    "knooppunten",
    "navigator",
    "projects",
    "apk",
    "plannen",
    "tools",  # demo data, load test and fault test: seed_demo, bench_data, bench, fault
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wijkkompas.middleware.RequestLogMiddleware",  # after WhiteNoise: static files are not logged
    # Pages are compressed when the client accepts gzip (the navigator: about 200 KB to 13 KB), with
    # Django's random padding against BREACH. Outside everything that writes the body; after
    # WhiteNoise, which serves static files compressed ahead of time itself.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wijkkompas.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "wijkkompas.urls"
WSGI_APPLICATION = "wijkkompas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijkkompas.context_processors.theme",
            ],
        },
    },
]

VAR_DIR = BASE_DIR / "var"  # the SQLite database, collected static files and uploads in development
VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

if not DEBUG and not env_str("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Production (DJANGO_DEBUG=false) needs PostgreSQL, "
        "for example DATABASE_URL=postgres://wijkkompas:password@127.0.0.1:5432/wijkkompas"
    )
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        # Reused connections save a connect per request; the health check replaces one that
        # broke, for example after a PostgreSQL restart.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails fast instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    # No just-in-time compilation: it pays off for long analytic queries, while a page's short
    # queries then spend more time compiling (40 ms measured on the portfolio) than running.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Server-side parameters let psycopg prepare a statement that a connection runs again
        # and again, so PostgreSQL plans it once instead of on every request. A pooler in
        # transaction mode (PgBouncer) cannot keep them: turn this off behind one.
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A live APK session writes many votes at once. A writer waits for the lock instead of failing
    # with "database is locked", takes it when its transaction starts (so two writers never
    # deadlock), and WAL lets the polling screens read while votes are written.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
    # Tests use a file as well (one per run), so a live server's threads each get their own
    # connection, as in production, instead of sharing one in-memory connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Shared by all app instances: allauth's rate limits and TOTP codes must be seen by every one.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
        }
    }
else:
    # The table is made by `manage.py createcachetable` (make run, make serve; tests do it themselves).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}
# Rendered HTML, cached in templates under versions the models own: see wijkkompas/caching.py.
# A cached fragment is never stale, so a cache in each process is enough, also with several
# instances. It keeps the most recently used fragments within a budget in bytes: cards of 2 KB,
# a project's voortgang page of about 200 KB.
CACHES["fragments"] = {
    "BACKEND": "wijkkompas.caching.FragmentCache",
    "LOCATION": "wijkkompas-fragments",
    "TIMEOUT": None,
    "KEY_FUNCTION": "wijkkompas.caching.fragment_key",
    "OPTIONS": {
        "MAX_BYTES": env_int("WIJKKOMPAS_FRAGMENT_CACHE_MB", 64) * 2**20,
        "MAX_ENTRIES": 1_000_000,  # the bytes are the bound
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "projects:list"  # a `next` address still wins

# Two-factor login: an authenticator app (TOTP) with recovery codes. Everyone may turn it on;
# staff must (accounts.middleware.StaffMFAMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkkompas"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # asks for a name as well
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
# The subject of allauth's emails starts with the product's name, not with the server's address.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Wijkkompas: "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = None

# Everyone gets Dutch, whatever their browser asks for: the interface has no English catalog
# yet. Add LocaleMiddleware back when it has one.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files that browsers ask for at the root of the site (/favicon.ico, /apple-touch-icon.png),
# made from static/img/kompas.svg; WhiteNoise serves them.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# The house style: the name of a token file in static/themes/ (docs/theming.md). "voorbeeldstad"
# is an example theme for a fictional gemeente that shows how one file restyles the site.
WIJKKOMPAS_THEME = env_str("WIJKKOMPAS_THEME", "wijkkompas")
if (
    not re.fullmatch(r"[a-z0-9-]+", WIJKKOMPAS_THEME)
    or not (BASE_DIR / "static" / "themes" / f"{WIJKKOMPAS_THEME}.css").is_file()
):
    raise ImproperlyConfigured(
        f"WIJKKOMPAS_THEME must name a file in static/themes/ (without .css), not {WIJKKOMPAS_THEME!r}"
    )
# Uploads: local disk (MEDIA_ROOT) by default; S3-compatible object storage when a bucket is
# set, so that several app instances share the files. Credentials come from the standard
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, which boto3 reads itself.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set, but django-storages and boto3 are not installed. "
            "Install them with: pip install '.[s3]'"
        )
    UPLOAD_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_LOCATION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    UPLOAD_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": UPLOAD_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded logbook documents are private: they live outside the static paths and are only
# served through a view that checks membership.
MEDIA_ROOT = Path(env_str("WIJKKOMPAS_MEDIA_ROOT", str(VAR_DIR / "media")))
MAX_UPLOAD_MB = env_int("WIJKKOMPAS_MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited by MAX_UPLOAD_MB

# Projects
INVITATION_DAYS = env_int("WIJKKOMPAS_INVITATION_DAYS", 14)
STALE_AFTER_WEEKS = env_int("WIJKKOMPAS_STALE_AFTER_WEEKS", 8)  # "Wat nu?" flags work bezig this long

# APK sessions
APK_NAME_RETENTION_DAYS = env_int("WIJKKOMPAS_APK_NAME_RETENTION_DAYS", 30)  # then `apk_purge_names` removes names
# Wrong join codes per client address in ten minutes. A whole room often shares one address.
APK_WRONG_CODES_PER_10_MIN = env_int("WIJKKOMPAS_APK_WRONG_CODES_PER_10_MIN", 20)
# A breakdown of the votes (per kind of party, or any other group) is shown only from this many
# votes in the group, so that no one's vote can be read off; smaller groups say so instead.
APK_MIN_GROUP_VOTES = env_int("WIJKKOMPAS_APK_MIN_GROUP_VOTES", 5)
ERVARINGEN_PER_UUR = env_int("WIJKKOMPAS_ERVARINGEN_PER_UUR", 3)  # practice stories one user may share per hour

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)  # seconds: a hanging mail server must not hang a request
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Wijkkompas <noreply@wijkkompas.example>")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx and forms take the token from the page, never from the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: htmx is configured by a meta tag (no eval, no
# indicator styles), and all CSS and JavaScript are files under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the QR code when setting up two-factor login
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers print through our handler, also with DEBUG off: an unhandled
        # error is logged by django.request with its traceback.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # wijkkompas.requests already writes a line for every request, 4xx included; runserver's
        # own line would add the query string.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
