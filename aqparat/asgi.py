import os

from django.core.asgi import get_asgi_application

# A server's entry point defaults to production: an operator who forgets the
# variable gets its demands, not dev's quiet defaults (no HTTPS-only cookies, no
# HSTS). `make run` and manage.py name the dev settings themselves.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aqparat.settings.production")
application = get_asgi_application()
