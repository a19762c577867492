"""Settings of the beacon benchmark's baseline (bench/naive_urls.py): the demo's,
with one more URL. Never part of the product."""

from aqparat.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.naive_urls"
