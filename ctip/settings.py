"""CTIP settings: everything configurable comes from CTIP_* environment variables.

CTIP_ENV=production turns on the strict mode: HTTPS-only cookies, HSTS, and a refusal to start
with the development secret key or encryption keys.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

from ctip.keyfile import load_keyring

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CTIP_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("CTIP_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("CTIP_DEBUG") and not PRODUCTION

DEVELOPMENT_SECRET_KEY = "ctip-development-secret-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("CTIP_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
CTIP_KEYRING = load_keyring(os.environ, DATA_DIR / "keys.json")
if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("CTIP_SECRET_KEY must be set to 50+ random characters.")
    if CTIP_KEYRING.is_development:
        raise ImproperlyConfigured(
            "Set CTIP_KEY_FILE or CTIP_ENCRYPTION_KEYS: the development keys are public."
        )

ALLOWED_HOSTS = env_list("CTIP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CTIP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "ctip.core",
    "ctip.statistics",
    "ctip.caselaw",
    "ctip.countries",
    "ctip.conduct",
    "ctip.cases",
    "ctip.linkage",
    "ctip.incidents",
    "ctip.surveys",
    "ctip.warning",
    "ctip.funds",
    "ctip.suppliers",
    "ctip.reports",
]

MIDDLEWARE = [
    "ctip.core.observability.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ctip.core.middleware.SecurityHeadersMiddleware",
    "ctip.core.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ctip.core.middleware.SessionRefreshMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ctip.core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctip.urls"
WSGI_APPLICATION = "ctip.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ctip" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctip.core.context_processors.navigation",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CTIP_DATABASE_URL", f"sqlite:///{DATA_DIR / 'ctip.sqlite3'}"),
        conn_max_age=int(os.environ.get("CTIP_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" on the upgrade from a read to a write transaction.
        # A 128 MB page cache keeps a large import's index updates in memory.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that threads (live server, worker heartbeat) share it safely.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-ctip.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "ctip.core.auth.EmailBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

# Lockout: after AXES_FAILURE_LIMIT failures for one account from one address, for a cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("CTIP_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CTIP_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "ctip.core.views.auth.lockout"
AXES_USERNAME_CALLABLE = "ctip.core.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

OTP_TOTP_ISSUER = os.environ.get("CTIP_OTP_ISSUER", "CTIP")

SESSION_COOKIE_AGE = int(os.environ.get("CTIP_SESSION_SECONDS", str(8 * 3600)))
# Idle expiry: the age counts from the last request, the session being written again at
# most once a minute (ctip.core.middleware.SessionRefreshMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("CTIP_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CTIP_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "ctip" / "locale"]
# The annual report's fonts besides those shipped in ctip/reports/fonts (make fonts)
_FONTS = os.environ.get("CTIP_FONT_DIRS", str(BASE_DIR / "var" / "fonts"))
CTIP_FONT_DIRS = [Path(p) for p in _FONTS.split(":") if p]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# A file attached to a case stays in memory, never in a temporary file in clear
# (ctip/cases/uploads.py); every other upload goes on to Django's handlers.
FILE_UPLOAD_HANDLERS = [
    "ctip.cases.uploads.AttachmentUploadHandler",
    *global_settings.FILE_UPLOAD_HANDLERS,
]
# Day-first dates and times with their zone in every language (ctip/core/formats).
FORMAT_MODULE_PATH = ["ctip.core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "ctip" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# The public's case-law searches, kept for the decisions' current version: shared by every
# web process and the worker, which counts them again after decisions change (ADR 0018).
# "files" (default): a folder of this machine; "database": a table of the database, for
# web servers on several machines (create it once with `ctip createcachetable`); "memory":
# each process its own (the tests).
_SEARCH_CACHES = {
    "files": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "kept-searches"),
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ctip_kept_searches",
    },
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "searches"},
}
CTIP_SEARCH_CACHE = os.environ.get("CTIP_SEARCH_CACHE", "files")
if CTIP_SEARCH_CACHE not in _SEARCH_CACHES:
    raise ImproperlyConfigured("CTIP_SEARCH_CACHE must be files, database or memory.")
# The public search index of the published decisions, built by the worker (ADR 0019)
CTIP_SEARCH_INDEX_DIR = Path(os.environ.get("CTIP_SEARCH_INDEX_DIR", DATA_DIR / "search-index"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "searches": {
        **_SEARCH_CACHES[CTIP_SEARCH_CACHE],
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CTIP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get(
    "CTIP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CTIP_FROM_EMAIL", "ctip@localhost")
# A mail server that does not answer must not hold up the worker's heartbeat for ever.
EMAIL_TIMEOUT = int(os.environ.get("CTIP_EMAIL_TIMEOUT", "30"))

# The entity that a `ctip createsuperuser` account belongs to (the system operator).
CTIP_OPERATOR_ENTITY = os.environ.get("CTIP_OPERATOR_ENTITY", "CTIP")
# The address people reach CTIP at, for links in e-mails.
CTIP_BASE_URL = os.environ.get("CTIP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sexual exploitation and abuse (ctip.conduct): investigations are due this many months after
# referral; a unit with this many allegations in 12 months is flagged for review as possibly
# widespread or systemic; public tables hide counts below this.
CTIP_CONDUCT_INVESTIGATION_MONTHS = int(os.environ.get("CTIP_CONDUCT_INVESTIGATION_MONTHS", "6"))
CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS = int(os.environ.get("CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS", "3"))
CTIP_CONDUCT_PUBLIC_THRESHOLD = int(os.environ.get("CTIP_CONDUCT_PUBLIC_THRESHOLD", "3"))
# Incidents (ctip.incidents): public counts below this are shown as "<k".
CTIP_INCIDENTS_PUBLIC_THRESHOLD = int(os.environ.get("CTIP_INCIDENTS_PUBLIC_THRESHOLD", "5"))
# Trust funds (ctip.funds): public counts of victims assisted below this are shown as "<k".
CTIP_FUNDS_PUBLIC_THRESHOLD = int(os.environ.get("CTIP_FUNDS_PUBLIC_THRESHOLD", "5"))
# Public pages are kept rendered until the data changes, at most this long (0: never kept);
# each web process keeps its own copies, keyed on the database's last change.
CTIP_PUBLIC_CACHE_SECONDS = int(os.environ.get("CTIP_PUBLIC_CACHE_SECONDS", "600"))
# Suppliers (ctip.suppliers): suppliers in these countries (ISO3, comma-separated) are flagged.
CTIP_SUPPLIER_HIGH_RISK_COUNTRIES = frozenset(
    c.strip().upper()
    for c in os.environ.get("CTIP_SUPPLIER_HIGH_RISK_COUNTRIES", "").split(",")
    if c.strip()
)
# Case files: identities of cases closed longer than this are deleted by `ctip purge_identities`.
CTIP_CASE_RETENTION_DAYS = int(os.environ.get("CTIP_CASE_RETENTION_DAYS", str(5 * 365)))

# Logs go to standard error: one line per request (logger ctip.request, without query
# strings) and warnings and errors, each with its request id; JSON lines with
# CTIP_LOG_FORMAT=json, for a log collector (docs/operations.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ctip.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ctip.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("CTIP_LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CTIP_LOG_LEVEL", "WARNING")},
    "loggers": {"ctip.request": {"level": os.environ.get("CTIP_REQUEST_LOG_LEVEL", "INFO")}},
}
# Where record linkage finds its candidate pairs: "duckdb", this machine (numpy beside the
# embedded engines), or "spark" (pip install -e '.[spark]'; docs/deploy.md).
CTIP_LINKAGE_ENGINE = os.environ.get("CTIP_LINKAGE_ENGINE", "duckdb")
if CTIP_LINKAGE_ENGINE not in {"duckdb", "spark"}:
    raise ImproperlyConfigured("CTIP_LINKAGE_ENGINE must be duckdb or spark.")
CTIP_SPARK_MASTER = os.environ.get("CTIP_SPARK_MASTER", "local[2]")
CTIP_SPARK_PARTITIONS = int(os.environ.get("CTIP_SPARK_PARTITIONS", "8"))
# The bearer token a Prometheus scraper sends to /metrics; without it there is no /metrics.
CTIP_METRICS_TOKEN = os.environ.get("CTIP_METRICS_TOKEN", "")

NINJA_PAGINATION_MAX_LIMIT = 500

# What `ctip demo_data` loads, in order: each app adds its own synthetic data.
CTIP_DEMO_LOADERS = [
    "ctip.core.demo.load_demo_data",
    "ctip.statistics.demo.load_demo_data",
    "ctip.caselaw.demo.load_demo_data",
    "ctip.countries.demo.load_demo_data",
    "ctip.conduct.demo.load_demo_data",
    "ctip.cases.demo.load_demo_data",
    "ctip.incidents.demo.load_demo_data",
    "ctip.surveys.demo.load_demo_data",
    "ctip.warning.demo.load_demo_data",
    "ctip.funds.demo.load_demo_data",
    "ctip.suppliers.demo.load_demo_data",
    "ctip.reports.demo.load_demo_data",
]
