"""Security headers on every response, pages, API, feeds and errors alike.

A plain ASGI middleware (not ``BaseHTTPMiddleware``): it only edits the response
start message, so it costs nothing per body chunk and also covers responses that
FastAPI makes itself (404s, validation errors, static files).
"""

from __future__ import annotations

# Scraped text is hostile. Even if an escaping bug let markup through, this policy
# refuses inline scripts, event-handler attributes, javascript: URLs, inline styles,
# plugins, third-party fetches and framing. JSON-LD (<script type="application/ld+json">)
# is data, never executed, so the policy does not need to allow it.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds ``HEADERS`` to every HTTP response (replacing any same-named header)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + list(HEADERS)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
