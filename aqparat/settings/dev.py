"""Local settings for `make run`: the embedded default, no other server needed."""

import secrets

from .base import *


def local_secret_key() -> str:
    """A per-checkout key kept in var/ so that a bare `make run` needs no environment.

    Production settings never use this: they demand DJANGO_SECRET_KEY.
    """
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = SECRET_KEY or local_secret_key()

# The demo newsroom and its loader: never in production's INSTALLED_APPS.
INSTALLED_APPS = [*INSTALLED_APPS, "aqparat.demo"]
AQPARAT_DEMO_ALLOWED = True  # load_demo_newsroom (make run, the tests)
# The demo's staff sign in with a password only unless AQPARAT_TWO_FACTOR_REQUIRED
# is set; production requires a second step.
AQPARAT_TWO_FACTOR_REQUIRED = env_bool("AQPARAT_TWO_FACTOR_REQUIRED", False)
