"""`Content-Security-Policy` on every response, one policy for readers and one for
the newsroom (django-csp's middleware, choosing the policy by path).

Public pages get the strict policy of `CONTENT_SECURITY_POLICY`: scripts, styles,
fonts and requests from our own origin only, no inline script or style of any kind,
no plugins, no framing. So a story's text that slipped a `<script>` or an
`onerror=` past every filter still runs nothing.

Public pages carry no nonce, on purpose: they are stored whole, headers and body,
by the page cache (core/pagecache.py, which stores what the views return, inside this
middleware) and by the front cache (deploy/nginx/, which stores what this middleware
sent). A nonce baked into a stored body would either not match the header a later
hit is sent with, or be served to every reader alike, and a nonce everyone has seen
protects nothing. Our scripts are therefore files (static/js/), allowed as 'self';
the pages' JSON-LD is a data block, which browsers never run and CSP does not govern.
The nonce stays available (`request.csp_nonce`) to responses no cache keeps: a policy
that lists `csp.constants.NONCE` gets it only when a template used it.

The admin (`AQPARAT_CSP_ADMIN_PREFIXES`) gets `AQPARAT_CSP_ADMIN_POLICY`: Wagtail's
admin still writes inline scripts (date pickers, inline panels) and inline styles
(Draftail, the preview panel), so it allows them, and frames of its own origin (the
live preview); it loads nothing from other origins either (no Gravatar, no update
check: see the settings). Previews of pages keep the public policy (see below).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.AQPARAT_CSP_ADMIN_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy for the admin's paths.

    A view's own decorators (`csp.decorators.csp_replace` and the like) still win:
    only a response that chose no policy of its own gets the admin's.

    Wagtail renders a preview by running a request for the page's public address
    through the whole middleware stack again (`Page.make_preview_request`): that
    inner pass marks it `is_preview` and answers with the public policy, which the
    outer pass (the admin's address) keeps. So an editor previews under the policy
    readers get, save that the admin may frame it (`frame-ancestors 'self'`).
    """

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {"frame-ancestors": ["'self'"], **(parts.replace or {})}
        elif is_admin_path(request.path_info):
            parts.config = default_config(
                settings.AQPARAT_CSP_ADMIN_POLICY["DIRECTIVES"]
            )
        return parts
