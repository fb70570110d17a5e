"""Settings for the e-learning platform, read from the environment.

Local use needs nothing set: `DEBUG=1` (the Makefile sets it for `make run`) gives a
development key, SQLite under var/ and a local-memory cache. Production sets at least
SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL, REDIS_URL and the EMAIL_* values.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address for links, QR codes and e-mails; required when DEBUG is off
# (config/checks.py). In development without it, pages link to the address they are
# served on.
SITE_URL = env("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    # The project's own system checks (config.checks); it has no models.
    "config.apps.SiteConfig",
    "people",
    "lessons",
    "quizzes",
    "certificates",
    "team",
    "themes",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "people.apps.PeopleUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "treebeard",
    "modelcluster",
    "taggit",
    "markdownx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.ServedByMiddleware",
    "config.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lessons.middleware.SharedSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.MissingFieldIsBadRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "themes.context_processors.theme",
                "people.context_processors.team",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
if env("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "config.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A connection kept between requests, as with DATABASE_URL: opening one
            # (with the pragmas below) costs more than serving a cached page.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            # A file, not memory, so that a task worker process can share it.
            "TEST": {"NAME": VAR_DIR / "test-db.sqlite3"},
            "OPTIONS": {
                # Writers queue for the lock instead of failing with
                # "database is locked"; WAL lets readers go on meanwhile.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env("TASK_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# A task worker (manage.py db_worker) writes a heartbeat into the cache this often;
# /readyz/ fails when the last one is older than the timeout.
TASK_WORKER_HEARTBEAT_SECONDS = env_int("TASK_WORKER_HEARTBEAT_SECONDS", 10)
TASK_WORKER_HEARTBEAT_TIMEOUT = env_int("TASK_WORKER_HEARTBEAT_TIMEOUT", 60)
# A failed task runs again after each of these delays (seconds); a task running
# longer than the timeout was left by a stopped worker (team/task_retries.py).
try:
    TASK_RETRY_DELAYS = [int(delay) for delay in env_list("TASK_RETRY_DELAYS", [])]
except ValueError as error:
    raise ImproperlyConfigured(
        "TASK_RETRY_DELAYS: whole seconds, comma-separated"
    ) from error
TASK_RETRY_DELAYS = TASK_RETRY_DELAYS or [60, 300, 1800]
TASK_RUNNING_TIMEOUT = env_int("TASK_RUNNING_TIMEOUT", 15 * 60)

# People
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
# An account is paused for the client that failed on it, so guessing someone's
# password never keeps them out of their own computer; people.signin.LockoutHandler
# also pauses one client failing on many accounts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "people.signin.LockoutHandler"
LOGIN_FAILURES_PER_CLIENT = env_int("LOGIN_FAILURES_PER_CLIENT", 30)
# The login forms post the e-mail address in a field called "username"; Axes
# counts it in the spelling that login uses.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "people.signin.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front that add the client's address to X-Forwarded-For (nginx: 1).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "people.signin.client_address"

# Internationalisation
LANGUAGE_CODE = env("LANGUAGE_CODE", "fi")
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
# Every LOCALE_PATHS catalogue wins over the apps' ones, the first entry over the
# rest. Ours comes first: makemessages writes into the first entry. The second holds
# fi/sv translations of the libraries' own strings (Wagtail's admin above all).
LOCALE_PATHS = [BASE_DIR / "site" / "locale", BASE_DIR / "site" / "locale_overrides"]
TIME_ZONE = env("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
# Media and private files go to S3-compatible buckets when AWS_STORAGE_BUCKET_NAME
# is set (config/storage.py); credentials come from boto3's own chain (the
# AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables, or the machine's role).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
AWS_PRIVATE_BUCKET_NAME = env("AWS_PRIVATE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME and not AWS_PRIVATE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "Set AWS_PRIVATE_BUCKET_NAME too: certificates need a bucket of their own."
    )
if AWS_STORAGE_BUCKET_NAME and AWS_STORAGE_BUCKET_NAME == AWS_PRIVATE_BUCKET_NAME:
    raise ImproperlyConfigured("AWS_PRIVATE_BUCKET_NAME must not be the media bucket.")
S3_OPTIONS = {
    "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
    "region_name": env("AWS_S3_REGION_NAME") or None,
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
    "default_acl": env("AWS_DEFAULT_ACL") or None,
    "file_overwrite": False,
}
STORAGES = {
    "default": (
        {
            "BACKEND": "config.storage.MediaS3Storage",
            "OPTIONS": {**S3_OPTIONS, "bucket_name": AWS_STORAGE_BUCKET_NAME},
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    # Certificates and other files that must never have a public URL.
    "private": (
        {
            "BACKEND": "config.storage.PrivateS3Storage",
            "OPTIONS": {
                **S3_OPTIONS,
                "bucket_name": AWS_PRIVATE_BUCKET_NAME,
                "default_acl": "private",
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "config.storage.PrivateStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Documents always go through Wagtail's view, which checks their collection's
# privacy; with a bucket it would otherwise redirect to the object's public URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# With the file-based backend, each message is a file in this folder.
EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "oppiminen@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Reminders (manage.py send_reminders, daily): days before the due date to remind,
# how often to remind while overdue, and the weekday (0 = Monday) of managers' digests.
REMINDER_DAYS_BEFORE_DUE = sorted(
    {int(days) for days in env_list("REMINDER_DAYS_BEFORE_DUE", ["7", "1"])},
    reverse=True,
)
REMINDER_OVERDUE_EVERY_DAYS = env_int("REMINDER_OVERDUE_EVERY_DAYS", 7)
REMINDER_DIGEST_WEEKDAY = env_int("REMINDER_DIGEST_WEEKDAY", 0)
REMINDER_CERTIFICATE_EXPIRY_DAYS = env_int("REMINDER_CERTIFICATE_EXPIRY_DAYS", 30)

# Public certificate verification: lookups per client per minute.
CERTIFICATE_LOOKUPS_PER_MINUTE = env_int("CERTIFICATE_LOOKUPS_PER_MINUTE", 30)
# Password reset e-mails per hour: requests from one client address (on any
# accounts; one office may share an address), and e-mails to one address.
PASSWORD_RESETS_PER_CLIENT_PER_HOUR = env_int("PASSWORD_RESETS_PER_CLIENT_PER_HOUR", 30)
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int(
    "PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 3
)

# Security
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers probe these over plain HTTP (config.middleware.HealthCheckMiddleware
# answers them before the redirect and host validation anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Wagtail's preview shows the page in a frame of the admin (same origin).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", "Oppimo")
WAGTAILADMIN_BASE_URL = SITE_URL or "http://127.0.0.1:8000"
WAGTAILADMIN_LOGIN_URL = "login"
# Slugs made from titles are transliterated to ASCII: "Åbo" gives "abo", not "%C3%A5bo".
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The admin speaks the languages the site does (Wagtail would offer some fifty).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# New image files are stored re-encoded, without EXIF, GPS or other metadata.
WAGTAILIMAGES_IMAGE_FORM_BASE = "lessons.uploads.LibraryImageForm"
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff e-mail hashes are not sent to a third party for avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
TAGGIT_CASE_INSENSITIVE = True

# Markdown editor: the widget talks to our own guarded endpoints (lessons.views).
MARKDOWNX_URLS_PATH = "/markdown/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdown/upload/"
MARKDOWNX_MARKDOWNIFY_FUNCTION = "lessons.rendering.render_markdown"
# The editor keeps a fixed height beside its preview instead of growing with the text.
MARKDOWNX_EDITOR_RESIZABLE = False
MARKDOWN_UPLOAD_MAX_BYTES = env_int("MARKDOWN_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
MARKDOWN_UPLOAD_MAX_PIXELS = 40_000_000
# Longest Markdown source accepted, in characters: a page field (lesson body, course
# description, quiz introduction) and the editor's live preview; and one text of a
# quiz question (its text, a choice, a feedback). The longest demo lesson has about
# 5,000 characters and the longest quiz text about 400; rendering time grows with
# the length, so the limits are what bounds one render (bench/markdown_worst_cases.py).
MARKDOWN_MAX_CHARACTERS = env_int("MARKDOWN_MAX_CHARACTERS", 100_000)
MARKDOWN_QUIZ_MAX_CHARACTERS = env_int("MARKDOWN_QUIZ_MAX_CHARACTERS", 10_000)

# Logs: one JSON object per line in production, plain text in development; each
# record of a request carries its id (config/logs.py). SERVED_BY names the process
# in an X-Served-By header (several app processes behind one proxy).
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOG_REQUESTS = env_bool("LOG_REQUESTS", not DEBUG)
SERVED_BY = env("SERVED_BY")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "config.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
