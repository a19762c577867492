"""Settings shared by every environment.

Everything comes from the environment, with safe local defaults: with no environment
at all the site runs on SQLite (WAL), a cache in a shared file and huey on SQLite, which
is what `make run` needs. Setting names equal the environment variable names.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from aqparat.core.alerts import admins_from, sentry_init
from aqparat.core.media_origins import media_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "aqparat"
VAR_DIR = Path(os.environ.get("AQPARAT_VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG")
# Empty here on purpose: dev.py keeps a per-checkout key, production.py demands one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "aqparat.core",
    "aqparat.users",
    "aqparat.images",
    "aqparat.news",
    "aqparat.translit",
    "aqparat.rates",
    "aqparat.telegram",
    "aqparat.analytics",
    "aqparat.newsroom",
    "aqparat.search",
    "aqparat.syndication",
    "aqparat.api",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "huey.contrib.djhuey",
    "corsheaders",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aqparat.core.middleware.PermissionsPolicyMiddleware",
    "aqparat.core.csp.ContentSecurityPolicyMiddleware",  # outside the page cache
    # The view beacon (/v/), answered before everything below (analytics/middleware.py).
    "aqparat.analytics.middleware.BeaconMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers CORS preflights and adds the headers for /api/ only (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    # Outside the session middleware so that it sees any cookie set; inside the
    # conditional-GET middleware so that its Last-Modified can answer 304.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole anonymous pages from the shared cache, before sessions, locale and
    # Wagtail's routing; outside PublicCacheMiddleware, whose headers it stores.
    "aqparat.core.pagecache.PageCacheMiddleware",
    "aqparat.core.middleware.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "aqparat.translit.middleware.LatinEditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff signed in with a password only: to the second step, or to set it up.
    "aqparat.users.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "aqparat.newsroom.middleware.PublicationBlockedMiddleware",
    # Answers a locked-out sign-in (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aqparat.urls"
WSGI_APPLICATION = "aqparat.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aqparat.core.context_processors.site_settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite by default: WAL lets readers run beside the writer, the busy timeout makes a
# writer wait instead of failing with "database is locked", and IMMEDIATE transactions
# take the write lock up front so two writers never deadlock upgrading a read lock.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("AQPARAT_SQLITE_PATH") or VAR_DIR / "aqparat.db",
            # Kept open across requests, as PostgreSQL's are: a new SQLite connection
            # parses the whole schema again on its first query (1.3 ms of an
            # uncached article's 11).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task queue ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "aqparat.core.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "aqparat",
        }
    }
    HUEY: dict[str, Any] = {
        "huey_class": "aqparat.core.queue.RedisHuey",
        "name": "aqparat",
        "url": REDIS_URL,
        "immediate": False,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    # One cache every process shares, never a per-process one: gunicorn's workers
    # and the huey consumer all run beside each other, and what one of them
    # invalidates (the ticker, navigation, spellings, site settings, the banner)
    # must be gone for all. diskcache keeps it in a SQLite file: reads of about
    # 10 µs, and add/incr atomic across processes (Django's file cache is slower and
    # its add and incr race; the database cache shares the site's write lock).
    CACHES = {
        "default": {
            "BACKEND": "aqparat.core.cache.SharedDiskCache",
            "LOCATION": str(os.environ.get("AQPARAT_CACHE_PATH") or VAR_DIR / "cache"),
            "OPTIONS": {"size_limit": 512 * 1024 * 1024},
        }
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # huey's queue file lives there
    HUEY = {
        "huey_class": "aqparat.core.queue.SqliteHuey",
        "name": "aqparat",
        "filename": str(os.environ.get("AQPARAT_HUEY_PATH", VAR_DIR / "huey.sqlite3")),
        "immediate": False,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Sessions: only the newsroom has them; readers never get a cookie -----------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A staff session ends after this long without a request (each request renews it),
# instead of Django's two weeks from sign-in.
SESSION_COOKIE_AGE = int(os.environ.get("AQPARAT_SESSION_IDLE_SECONDS", str(4 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True

# --- Sign-in: throttling (django-axes) and a second factor (django-otp) -----------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After 10 failures in 15 minutes an account is locked, and so is the address they
# came from (either suffices): guessing one password or many accounts' alike.
AXES_FAILURE_LIMIT = int(os.environ.get("AQPARAT_SIGN_IN_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "aqparat.core.http.client_address"
AXES_LOCKOUT_TEMPLATE = "users/lockout.html"
AXES_VERBOSE = False
# Superusers and these groups must sign in with a second factor; all staff may.
AQPARAT_TWO_FACTOR_REQUIRED = env_bool("AQPARAT_TWO_FACTOR_REQUIRED", True)
AQPARAT_TWO_FACTOR_GROUPS = ("Chief editors",)
OTP_TOTP_ISSUER = os.environ.get("AQPARAT_TWO_FACTOR_ISSUER", "Aqparat")

AUTH_USER_MODEL = "users.User"
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

# --- Time and language ------------------------------------------------------------
# Store aware UTC; render in Almaty time (zoneinfo + tzdata know that Kazakhstan moved
# from UTC+6 to UTC+5 on 1 March 2024, so old articles keep their original local time).
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
# Four editions: Kazakh in Cyrillic (the default), Kazakh in the 2021 Latin alphabet
# (derived from the Cyrillic one, see aqparat/translit), Russian and English. Names are
# written in their own language, as a language switcher shows them.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("kk-latn", "Qazaqşa"),
    ("ru", "Русский"),
    ("en", "English"),
]
LATIN_EDITION_LANGUAGE = "kk-latn"
LATIN_EDITION_SOURCE_LANGUAGE = "kk"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
FORMAT_MODULE_PATH = ["aqparat.core.formats"]

# --- Static and media -------------------------------------------------------------
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("AQPARAT_STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("AQPARAT_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Uploads, renditions and documents on S3-compatible object storage (django-storages)
# when a bucket is named: what several app nodes need, since a rendition the worker
# on one node makes must be where every node's pages point. Without, the local disk.
AQPARAT_MEDIA_BUCKET = os.environ.get("AQPARAT_MEDIA_BUCKET", "")
if AQPARAT_MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AQPARAT_MEDIA_BUCKET,
            "endpoint_url": os.environ.get("AQPARAT_MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AQPARAT_MEDIA_REGION") or None,
            "access_key": os.environ.get("AQPARAT_MEDIA_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AQPARAT_MEDIA_SECRET_ACCESS_KEY") or None,
            # Readers get renditions by a plain address (a CDN's, when named), which
            # cached pages can keep: the bucket's policy makes images/ and
            # avatar_images/ public and nothing else (docs/deployment.md). Originals
            # and documents are read by the application with its key.
            "custom_domain": os.environ.get("AQPARAT_MEDIA_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("AQPARAT_MEDIA_URL_PROTOCOL", "https:"),
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "location": os.environ.get("AQPARAT_MEDIA_PREFIX", ""),
        },
    }
WHITENOISE_MAX_AGE = 3600
# Files browsers and crawlers ask for at the site's root (/favicon.ico), served by
# WhiteNoise before any page routing: a 404 there is an error on every page.
WHITENOISE_ROOT = PROJECT_DIR / "public"

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Aqparat"
# The newsroom works in Almaty time: the admin shows and takes every time in it
# (go-live, expiry, embargo, corrections), whatever a browser's zone.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# A secret that lets monitoring read /readyz's details (core/health.py); empty: only
# signed-in staff see them, everyone else up or down.
AQPARAT_HEALTH_TOKEN = os.environ.get("AQPARAT_HEALTH_TOKEN", "")
# The site's public address, scheme, host and port (core/address.py): every absolute
# link we print. `manage.py site_address` gives it to the default Site.
AQPARAT_BASE_URL = os.environ.get("AQPARAT_BASE_URL", "http://localhost:8000")
WAGTAILADMIN_BASE_URL = AQPARAT_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "images.CustomImage"
# Credit and alt text are required when a photo is uploaded (images/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "aqparat.images.forms.CustomImageForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv", "txt"]
# Documents only through Wagtail's view, which checks their collection's privacy and
# streams the file (never a redirect to /media/), always as a download, never shown
# inline on our origin (core/documents.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Aqparat ----------------------------------------------------------------------
# Anonymous public pages are cacheable as a whole by a front cache or CDN.
AQPARAT_PUBLIC_MAX_AGE = int(os.environ.get("AQPARAT_PUBLIC_MAX_AGE", "60"))
AQPARAT_PUBLIC_S_MAXAGE = int(os.environ.get("AQPARAT_PUBLIC_S_MAXAGE", "300"))
# How long a front cache may keep answering with its copy while the site fails
# (5xx, unreachable): readers keep the news through an outage or a deploy.
AQPARAT_PUBLIC_STALE_IF_ERROR = int(
    os.environ.get("AQPARAT_PUBLIC_STALE_IF_ERROR", "86400")
)
# How long a front cache may answer with its expired copy while it fetches a new one
# (a purge removes the copy outright: this only smooths the expiry of the others).
AQPARAT_PUBLIC_STALE_WHILE_REVALIDATE = int(
    os.environ.get("AQPARAT_PUBLIC_STALE_WHILE_REVALIDATE", "30")
)
# The front cache to purge when pages change (core/frontcache.py): the address of
# the shipped nginx site's purge (deploy/nginx/), e.g. http://127.0.0.1:8080/_purge;
# empty means no front cache. Wagtail's other backends (Cloudflare, CloudFront) go in
# WAGTAILFRONTENDCACHE in a settings module of the deployment.
AQPARAT_FRONT_CACHE_PURGE_URL = os.environ.get("AQPARAT_FRONT_CACHE_PURGE_URL", "")
WAGTAILFRONTENDCACHE: dict[str, dict[str, Any]] = (
    {
        "front": {
            "BACKEND": "aqparat.core.frontcache.HTTPPurgeBackend",
            "LOCATION": AQPARAT_FRONT_CACHE_PURGE_URL,
        }
    }
    if AQPARAT_FRONT_CACHE_PURGE_URL
    else {}
)
# The app's own page cache (core/pagecache.py): whole anonymous pages, retired by what
# they show; "off" measures the uncached path. A page is rebuilt after this many
# seconds even without an event (view counts, most read, scheduled banners).
AQPARAT_PAGE_CACHE = os.environ.get("AQPARAT_PAGE_CACHE", "on").lower() != "off"
AQPARAT_PAGE_CACHE_SECONDS = int(os.environ.get("AQPARAT_PAGE_CACHE_SECONDS", "60"))
# Parts of a page that cost queries but change rarely (related stories, the edition
# switcher) are kept in the same cache, retired the same way, even when whole pages
# are not (AQPARAT_PAGE_CACHE=off measures the render with them).
AQPARAT_FRAGMENT_CACHE = os.environ.get("AQPARAT_FRAGMENT_CACHE", "on").lower() != "off"
AQPARAT_LISTING_PAGE_SIZE = int(os.environ.get("AQPARAT_LISTING_PAGE_SIZE", "20"))
AQPARAT_TICKER_CURRENCIES = env_list("AQPARAT_TICKER_CURRENCIES", "USD,EUR,RUB")

# --- Mail, alerts and logs --------------------------------------------------------
# Errors (a failed publication run, a Telegram post given up, a 500) are mailed to
# the admins, one per kind of error in ten minutes (core/alerts.py), and go to Sentry
# when SENTRY_DSN is set.
ADMINS = admins_from(os.environ.get("DJANGO_ADMINS", ""))
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_SUBJECT_PREFIX = os.environ.get("DJANGO_EMAIL_SUBJECT_PREFIX", "[Aqparat] ")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = float(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
# `json`: one JSON object a line (python-json-logger), for a log collector.
AQPARAT_LOG_FORMAT = os.environ.get("AQPARAT_LOG_FORMAT", "plain")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "once_per_window": {"()": "aqparat.core.alerts.OncePerWindow"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if AQPARAT_LOG_FORMAT == "json" else "plain",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "once_per_window"],
        },
    },
    "root": {
        "handlers": ["console", "mail_admins"],
        "level": os.environ.get("AQPARAT_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Django's own default sends its errors to its console and mail handlers;
        # here they reach the root's, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"level": "ERROR"},
        # One line per background task and per page event is noise on a console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "huey": {"level": "WARNING"},  # not a line per periodic run; errors still show
    },
}
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
# The app serves renditions itself (never originals or documents, core/media.py):
# on for the embedded default, off in production settings.
AQPARAT_SERVE_MEDIA = env_bool("AQPARAT_SERVE_MEDIA", True)
# Letters outside the 2021 Kazakh alphabet: Aqparat's policy, overridable per install,
# e.g. {"ц": "s", "ч": "ş"}. See docs/decisions/0004-kazakh-latin-edition.md.
AQPARAT_TRANSLIT_LOAN_LETTERS: dict[str, str] = {}

# National Bank rates. The default points at the local fake server that `make run`
# starts; production sets https://nationalbank.kz.
AQPARAT_NBK_BASE_URL = os.environ.get("AQPARAT_NBK_BASE_URL", "http://127.0.0.1:8701")
AQPARAT_NBK_TIMEOUT = float(os.environ.get("AQPARAT_NBK_TIMEOUT", "5"))
AQPARAT_NBK_MAX_BYTES = int(
    os.environ.get("AQPARAT_NBK_MAX_BYTES", str(2 * 1024 * 1024))
)

# Telegram distribution. The default API URL is the local fake Bot API that `make run`
# starts; production sets https://api.telegram.org and a real bot token. The token
# is secret: it is never logged and never part of an error message.
AQPARAT_TELEGRAM_API_URL = os.environ.get(
    "AQPARAT_TELEGRAM_API_URL", "http://127.0.0.1:8702"
)
AQPARAT_TELEGRAM_BOT_TOKEN = os.environ.get("AQPARAT_TELEGRAM_BOT_TOKEN", "")
# Where "the post" links go: https://t.me, or the fake's channel pages in the demo.
AQPARAT_TELEGRAM_WEB_URL = os.environ.get("AQPARAT_TELEGRAM_WEB_URL", "https://t.me")
AQPARAT_TELEGRAM_TIMEOUT = float(os.environ.get("AQPARAT_TELEGRAM_TIMEOUT", "10"))
AQPARAT_TELEGRAM_MAX_ATTEMPTS = int(
    os.environ.get("AQPARAT_TELEGRAM_MAX_ATTEMPTS", "8")
)
# Telegram's own guidance per chat: about one message a second, twenty a minute.
AQPARAT_TELEGRAM_MIN_INTERVAL = float(
    os.environ.get("AQPARAT_TELEGRAM_MIN_INTERVAL", "1")
)
AQPARAT_TELEGRAM_PER_MINUTE = int(os.environ.get("AQPARAT_TELEGRAM_PER_MINUTE", "20"))

# Audience. Beacons are buffered in Redis when REDIS_URL is set, else in this SQLite
# file (separate from the main database), and folded in every minute.
AQPARAT_VIEWS_BUFFER_PATH = Path(
    os.environ.get("AQPARAT_VIEWS_BUFFER_PATH", VAR_DIR / "views-buffer.sqlite3")
)
AQPARAT_VIEWS_REPEAT_SECONDS = 30 * 60  # one reader, one article: once per 30 minutes
AQPARAT_BEACONS_PER_MINUTE = int(os.environ.get("AQPARAT_BEACONS_PER_MINUTE", "120"))
# One client (an address, an IPv6 /64) counts as at most this many readers of one
# story per repeat window: a household or an office behind one address reads with a
# few browsers, while rotating the User-Agent would otherwise count each rotation.
AQPARAT_VIEWS_PER_CLIENT_AND_PAGE = int(
    os.environ.get("AQPARAT_VIEWS_PER_CLIENT_AND_PAGE", "8")
)
# Behind the shipped nginx site, nginx answers beacons itself and logs them here (its
# BEACON_LOG); the fold counts the log's new lines. Empty: beacons reach the app.
AQPARAT_BEACON_LOG = os.environ.get("AQPARAT_BEACON_LOG", "")
# Sent on every response (core.middleware.PermissionsPolicyMiddleware): the features
# no page may use. Empty: none sent.
AQPARAT_PERMISSIONS_POLICY = os.environ.get(
    "AQPARAT_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()",
)

# --- Content-Security-Policy (django-csp, core/csp.py; it says why public pages carry
# no nonce). Public pages: our own origin only, no inline script or style, no plugins,
# never framed (as X-Frame-Options: DENY says). A deployment that serves media or
# static files from another host adds that origin to the img-src (script-src,
# style-src) of both policies in its settings module. The API docs are Swagger UI
# from our static files (django-ninja serves its local copy when "ninja" is an
# installed app, a CDN's otherwise) and need nothing more.
INSTALLED_APPS += ["csp", "ninja"]
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Photos from the bucket (or the CDN in front of it) when media are on object
# storage: the origins its addresses use (core/media_origins.py).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += media_origins(STORAGES["default"])
# The admin: Wagtail's own inline scripts and styles, images an editor picks before
# they upload (blob:), the live preview in a frame of our origin.
AQPARAT_CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
AQPARAT_CSP_ADMIN_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *media_origins(STORAGES["default"])],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Nothing in the admin from other origins: no avatars from Gravatar, no check for
# Wagtail releases from the browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The header holding the reader's address when a trusted proxy sets it, e.g.
# "HTTP_X_REAL_IP"; the default is the connection's address.
AQPARAT_CLIENT_IP_HEADER = os.environ.get("AQPARAT_CLIENT_IP_HEADER", "REMOTE_ADDR")

# Tags as editors type them, read without control characters (core/text.py).
TAGGIT_TAGS_FROM_STRING = "aqparat.core.text.tags_from_string"

# Whether `load_demo_newsroom` may run: its staff share one printed password. The dev
# and test settings allow it; production does not.
AQPARAT_DEMO_ALLOWED = False

# --- Discovery: search, feeds, sitemaps, structured data, the JSON API ------------
# Each block belongs to its app (aqparat/search, syndication, seo, api).

# search: see docs/subsystems/search.md. The index holds text we analyse ourselves
# (stemmed per language), so PostgreSQL must not stem it again: its "simple" config.
WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "simple"
AQPARAT_SEARCH_STEMMING = env_bool("AQPARAT_SEARCH_STEMMING", True)
AQPARAT_SEARCH_PAGE_SIZE = int(os.environ.get("AQPARAT_SEARCH_PAGE_SIZE", "10"))
# Queries are cut to this many characters before anything parses them.
AQPARAT_SEARCH_MAX_QUERY_CHARS = int(
    os.environ.get("AQPARAT_SEARCH_MAX_QUERY_CHARS", "200")
)
# How many best matches are ranked (headline hits first) and can be paged through.
AQPARAT_SEARCH_MAX_RESULTS = int(os.environ.get("AQPARAT_SEARCH_MAX_RESULTS", "200"))
# Fewer hits than MIN_RESULTS with every word: add the hits with any word; fewer
# than FUZZY_BELOW after that: add trigram fuzzy matches (PostgreSQL only; a
# fuzzy query reads every index row, so it stays a fallback for near-misses).
AQPARAT_SEARCH_MIN_RESULTS = int(os.environ.get("AQPARAT_SEARCH_MIN_RESULTS", "10"))
AQPARAT_SEARCH_FUZZY = env_bool("AQPARAT_SEARCH_FUZZY", True)
AQPARAT_SEARCH_FUZZY_BELOW = int(os.environ.get("AQPARAT_SEARCH_FUZZY_BELOW", "3"))
# Result pages are not purged on publication: keep them briefly in any cache.
AQPARAT_SEARCH_MAX_AGE = int(os.environ.get("AQPARAT_SEARCH_MAX_AGE", "60"))

# syndication: RSS feeds, sitemaps, robots.txt (aqparat/syndication)
# Feeds carry the lead as their description, or the whole story when on.
AQPARAT_FEED_FULL_TEXT = env_bool("AQPARAT_FEED_FULL_TEXT")
AQPARAT_FEED_ITEMS = int(os.environ.get("AQPARAT_FEED_ITEMS", "30"))
# URLs per article sitemap page (the protocol allows 50 000 and 50 MB).
AQPARAT_SITEMAP_PAGE_SIZE = min(
    int(os.environ.get("AQPARAT_SITEMAP_PAGE_SIZE", "10000")), 50_000
)
# Google News sitemaps: the last two days, at most 1 000 stories.
AQPARAT_NEWS_SITEMAP_DAYS = 2
AQPARAT_NEWS_SITEMAP_LIMIT = 1000
# Seconds crawlers and front caches may keep an article sitemap page (older pages
# change only on corrections); the index, news sitemaps and feeds use the page
# defaults above.
AQPARAT_SITEMAP_MAX_AGE = int(os.environ.get("AQPARAT_SITEMAP_MAX_AGE", "3600"))

# seo (structured data and previews, in aqparat/syndication): how many related
# stories stand beside an article.
AQPARAT_RELATED_COUNT = int(os.environ.get("AQPARAT_RELATED_COUNT", "4"))

# api: CORS headers only on /api/, only for the origins listed here (none by default).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env_list("AQPARAT_API_CORS_ORIGINS")
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# The JSON API's page sizes (docs/subsystems/api.md): a larger page_size is clamped.
AQPARAT_API_PAGE_SIZE = int(os.environ.get("AQPARAT_API_PAGE_SIZE", "20"))
AQPARAT_API_MAX_PAGE_SIZE = int(os.environ.get("AQPARAT_API_MAX_PAGE_SIZE", "100"))
