"""The origins a browser fetches photos from when media are on object storage, for
the Content-Security-Policy's img-src (settings/base.py).

Read from the storage's own options, so that naming a bucket (and a CDN's domain)
in the environment is all a deployment does: without this, every photo of a site
on S3 is blocked by the policy, in readers' pages and in the admin alike. Pure: the
settings call it before Django is configured.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def media_origins(storage: dict[str, Any]) -> list[str]:
    """The origins of `storage`'s file addresses (a STORAGES entry); none for a
    storage on our own origin (the local disk)."""
    if not storage["BACKEND"].startswith("storages.backends.s3"):
        return []
    options = storage.get("OPTIONS", {})
    protocol = options.get("url_protocol") or "https:"
    if options.get("custom_domain"):
        return [f"{protocol}//{options['custom_domain']}"]
    bucket = options["bucket_name"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        # Path-style addresses are on the endpoint, virtual-hosted ones on the
        # bucket's name under it: boto3 chooses by the bucket's name and endpoint.
        return [
            f"{parts.scheme}://{parts.netloc}",
            f"{parts.scheme}://{bucket}.{parts.netloc}",
        ]
    region = options.get("region_name")
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return [f"https://{host}" for host in hosts]
