"""Production settings: loud about what is missing, strict about transport security."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

# REDIS_URL too: without it each node (and each consumer) would quietly keep its own
# cache, task queue and views buffer, and a cluster would disagree with itself. And
# AQPARAT_BASE_URL: without it every feed and sitemap link points to localhost.
REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "AQPARAT_BASE_URL",
)
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables, which are not set: "
        + ", ".join(_missing)
        + ". Set them (see README.md, 'Running in production') and start again."
    )

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
# The header by which the proxy in front says a request came over HTTPS. Trust it
# only when every request reaches gunicorn through that proxy, which must set (not
# pass on) it: the shipped nginx sets X-Forwarded-Proto. Empty: trust no header.
_PROXY_SSL_HEADER = os.environ.get(
    "DJANGO_SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO"
)
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers and orchestrators probe each node directly over HTTP (core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^health/"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
# Subdomains and the browsers' preload list are commitments for the whole domain:
# turn them off for a site that shares its domain with services not on HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Uploads are the front server's (deploy/nginx/) or the storage's to serve; the app
# serves renditions only when asked to (core/media.py).
AQPARAT_SERVE_MEDIA = env_bool("AQPARAT_SERVE_MEDIA", False)
