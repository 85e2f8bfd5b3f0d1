"""Settings for the hearings follow-up tracker, read from the environment.

Laptop defaults: DEBUG on, SQLite in ./db.sqlite3, a throwaway secret key. In production
(DEBUG off) the app refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hearings.settings_values import (
    DIGEST_FREQUENCIES,
    cache_from_url,
    choice,
    database_config,
    env_bool,
    env_list,
    env_positive_int,
    evidence_storage,
    logging_config,
    open_data_licence,
    public_origin,
    tasks_config,
    with_progress_alias,
)

# The API's settings, written beside it (tracker/api/config.py).
from tracker.api.config import (  # noqa: F401 - settings, read as django.conf.settings
    API_RATE_ANON,
    API_RATE_TOKEN,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
)

BASE_DIR = Path(__file__).resolve().parent.parent

INSECURE_KEY_PREFIX = "django-insecure-"
# Django's own deployment check (security.W009) asks for 50.
SECRET_KEY_MIN_LENGTH = 50

DEBUG = env_bool("DEBUG", True)
# A demo (`make demo`): a synthetic follow-up history on its own SQLite file, demo.sqlite3,
# whatever DATABASE_URL says; no e-mail, no cache server; every page and export says so.
DEMO = env_bool("DEMO", False)

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the app needs a real secret key: set "
            "SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = INSECURE_KEY_PREFIX + "laptop-only-key-never-used-with-debug-off"
elif not DEBUG and (
    SECRET_KEY.startswith(INSECURE_KEY_PREFIX) or len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for DEBUG off: use at least {SECRET_KEY_MIN_LENGTH} random "
        "characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off, list the host names the app serves, "
        "comma-separated (for example ALLOWED_HOSTS=tracker.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Every absolute link the app writes (invitations, password reset e-mails) starts with
# this, never with the Host header of a request (tracker/links.py).
PUBLIC_BASE_URL = os.getenv("PUBLIC_BASE_URL", "")
if not PUBLIC_BASE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL is not set. With DEBUG off, set it to the address users open (for "
        "example PUBLIC_BASE_URL=https://tracker.example.org): links in e-mails are built "
        "from it, never from the request's Host header."
    )
PUBLIC_BASE_URL = public_origin(PUBLIC_BASE_URL or "http://127.0.0.1:8000")

# Proxies in front of the app that each append to X-Forwarded-For: the client is the
# N-th address from the right; 0 means REMOTE_ADDR (tracker/clients.py).
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hearings",
    "tracker",
    "tracker.notifications",
    "tracker.evidence",
    "tracker.publication",
    "tracker.jobs",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tracker.api",
]

MIDDLEWARE = [
    # /healthz first: answered before the HTTPS redirect and the host check (a load
    # balancer probes over plain HTTP, by IP), with no session, CSRF or login.
    "tracker.ops.health.HealthCheckMiddleware",
    # A request id for every log line, sent back as X-Request-ID; the access line.
    "tracker.ops.access.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.public.serving.PublicRequestMiddleware",  # public views: no session, no cookie
    "tracker.middleware.UserLanguageMiddleware",  # staff pages in the profile's language
    "tracker.middleware.HostileRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tracker.accounts.sessions.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.UserTimeZoneMiddleware",
    # django-auditlog's, with the client address of tracker/clients.py.
    "tracker.audit.middleware.AuditlogMiddleware",
    # Last: turns a refused login into the login page with its reason (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hearings.urls"

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
                "tracker.context_processors.user_role",
                "tracker.context_processors.demo",
            ],
        },
    },
]

# Form widgets may use the project's templates (the status radio with descriptions).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "hearings.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database
# (postgres://user:password@host:5432/name).
DATABASES = {
    "default": database_config(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DEMO:  # never the default database, never PostgreSQL
    DATABASES = {"default": database_config(f"sqlite:///{BASE_DIR / 'demo.sqlite3'}")}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The app's queries are short: JIT compiling them costs more than it saves (seconds).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = with_progress_alias(DATABASES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every process shares (throttles): the database's, or Redis for CACHE_URL.
CACHES = {"default": cache_from_url("" if DEMO else os.getenv("CACHE_URL", ""))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins (tracker/accounts/lockouts.py): a (user name, client address) pair is locked
# after LOGIN_FAILURE_LIMIT failures, for LOGIN_LOCKOUT_MINUTES; a user name failing from
# many addresses is slowed down, never locked. Sessions end after SESSION_IDLE_MINUTES
# without a request (tracker/accounts/sessions.py).
LOGIN_FAILURE_LIMIT = int(os.getenv("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.getenv("LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_IDLE_MINUTES = int(os.getenv("SESSION_IDLE_MINUTES", "60"))
# Password reset requests per hour, per e-mail address and per client address.
PASSWORD_RESET_PER_EMAIL_PER_HOUR = int(os.getenv("PASSWORD_RESET_PER_EMAIL_PER_HOUR", "3"))
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = int(os.getenv("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", "10"))
# Requests a minute per client to the public site, data and feeds; the data's SPDX licence.
PUBLIC_RATE = env_positive_int("PUBLIC_RATE", 300)
OPEN_DATA_LICENCE = open_data_licence(os.getenv("OPEN_DATA_LICENCE", "CC-BY-4.0"))
for _name in (
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_LOCKOUT_MINUTES",
    "SESSION_IDLE_MINUTES",
    "PASSWORD_RESET_PER_EMAIL_PER_HOUR",
    "PASSWORD_RESET_PER_ADDRESS_PER_HOUR",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
AUTHENTICATION_BACKENDS = [
    "tracker.accounts.lockouts.LoginBackend",
    # Django's own, taking the user name in any case (names are unique regardless of case).
    "tracker.accounts.backends.CaseInsensitiveModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "tracker.accounts.lockouts.username_key"
AXES_CLIENT_IP_CALLABLE = "tracker.clients.client_address"
AXES_LOCKOUT_CALLABLE = "tracker.accounts.lockouts.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt neither counts nor extends the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
# Lockouts are audited (django-auditlog); axes keeps no log of its own, nor admin pages.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# No start-up banner on stdout (commands print their results there).
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, in the UN's order.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's way, over Django's (hearings/formats/).
FORMAT_MODULE_PATH = ["hearings.formats"]
USE_I18N = True
# Stored in UTC; shown in the user's time zone (TIME_ZONE is the default one).
USE_TZ = True
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files, outside the static files, never served by URL (git-ignored: /media/).
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Evidence files (tracker/evidence/): MEDIA_ROOT/evidence, or S3 (settings_values.py).
    "evidence": evidence_storage(
        os.getenv("EVIDENCE_STORAGE", ""), MEDIA_ROOT / "evidence", os.environ
    ),
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Password reset and invitations: printed on the console unless SMTP is configured.
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if DEMO:  # a demo sends nothing, to anyone
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "hearings-follow-up@localhost")

# A line with nothing recorded for this many days is shown as stale on the dashboard.
STALE_AFTER_DAYS = int(os.getenv("STALE_AFTER_DAYS", "180"))
# Reminders and update requests (tracker/notifications/): their sender, and how often a
# focal point who has not chosen gets the digest of their lines.
REMINDERS_FROM_EMAIL = os.getenv("REMINDERS_FROM_EMAIL") or DEFAULT_FROM_EMAIL
DIGEST_DEFAULT_FREQUENCY = choice("DIGEST_DEFAULT_FREQUENCY", "weekly", DIGEST_FREQUENCIES)

# Content security policy (django-csp): our own origin only, no inline scripts, no style
# attributes, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Security headers that hold in every mode; HTTPS-only ones are switched on off DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind a proxy that terminates TLS (and sets X-Forwarded-Proto, overwriting what the
# client sent), requests it forwarded over HTTPS count as secure. Never without one: a
# client could claim HTTPS itself.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: browsers that saw it use HTTPS only, for this long. Subdomains only when asked:
# the parent domain is often shared (un.org) and its other sites are not ours to decide.
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # Plain HTTP is redirected to HTTPS (not /healthz: see MIDDLEWARE).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# `manage.py check --deploy` warnings silenced, each with its reason:
SILENCED_SYSTEM_CHECKS = [
    # HSTS without includeSubDomains: on purpose unless SECURE_HSTS_INCLUDE_SUBDOMAINS is
    # set (a shared parent domain's other sites may not all serve HTTPS).
    "security.W005",
    # No HSTS preload: entering the browsers' preload lists binds the whole domain, for
    # months, and is the domain owner's decision, not this app's.
    "security.W021",
]

# Where the report and its catalogue live; `manage.py load_report` reads from here.
REPORT_DATA_DIR = BASE_DIR / "hearings" / "data"
# The catalogue's names in the other five languages, loaded with it (hearings/translation_files.py).
CONTENT_TRANSLATIONS_DIR = BASE_DIR / "locale" / "content"

# Logs on stdout: one JSON object per line in production, a readable line on a laptop;
# each with the request id (tracker.ops.logs says what is kept out of them).
LOG_FORMAT = os.getenv("LOG_FORMAT", "text" if DEBUG else "json")
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)

# PDF and Word reports on the page up to this many recommendations (beyond: export_progress).
PROGRESS_REPORT_MAX_RECOMMENDATIONS = int(os.getenv("PROGRESS_REPORT_MAX_RECOMMENDATIONS", "2000"))

# Bulk import limits: upload size, data rows, and the unpacked size of an .xlsx (zip bombs).
IMPORT_MAX_BYTES = int(os.getenv("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.getenv("IMPORT_MAX_ROWS", "5000"))
IMPORT_MAX_UNPACKED_BYTES = int(os.getenv("IMPORT_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)))

# Evidence files: size of one file, files per status update, and the virus scanner (a
# clamd socket: a path, or tcp://host:port; unset: files are stored as "not scanned").
EVIDENCE_FILE_MAX_BYTES = int(os.getenv("EVIDENCE_FILE_MAX_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_FILES_MAX = int(os.getenv("EVIDENCE_FILES_MAX", "5"))
CLAMD_SOCKET = os.getenv("CLAMD_SOCKET", "")
CLAMD_TIMEOUT_SECONDS = int(os.getenv("CLAMD_TIMEOUT_SECONDS", "60"))
# Background jobs (tracker/jobs/, README "Background jobs"): the Tasks API on the database
# (JOBS_BACKEND=database) or on RQ and Redis (rq, JOBS_REDIS_URL); `manage.py jobs_worker`.
JOBS_BACKEND = os.getenv("JOBS_BACKEND", "database")
TASKS, RQ_QUEUES = tasks_config(JOBS_BACKEND, os.getenv("JOBS_REDIS_URL", ""))
if JOBS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
# PDF and Word reports of more recommendations, and imports of more rows, run as jobs.
BACKGROUND_REPORT_MIN_RECOMMENDATIONS = env_positive_int(
    "BACKGROUND_REPORT_MIN_RECOMMENDATIONS", 200
)
BACKGROUND_IMPORT_MIN_ROWS = env_positive_int("BACKGROUND_IMPORT_MIN_ROWS", 500)
# A job's result is kept this many days; a running job silent this long has stopped.
JOB_RESULT_DAYS = env_positive_int("JOB_RESULT_DAYS", 7)
JOB_HEARTBEAT_SECONDS = env_positive_int("JOB_HEARTBEAT_SECONDS", 60)
# What the workers run on a schedule (tracker/jobs/schedule.py): (name, dotted path of a
# callable taking the date of the run, "daily HH:MM" or "weekly <day> HH:MM", TIME_ZONE).
JOBS_SCHEDULE = [
    ("job-results-cleanup", "tracker.jobs.cleanup.job_results_remove", "daily 03:00"),
    # The digests due today (tracker/notifications/; also `manage.py send_reminders`).
    ("reminders", "tracker.notifications.digests.digests_send_scheduled", "daily 07:00"),
]
