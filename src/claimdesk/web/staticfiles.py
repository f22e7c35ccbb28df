"""The desk's static files (stylesheet, scripts, htmx), kept by browsers for an hour.

Without a lifetime a browser asks again for each asset on every page (answered 304, but a
request all the same): in keyboard triage, where every saved review opens the next claim's
page, that was half of the requests per claim (issue 18, BENCHMARKS "Triage")."""

from __future__ import annotations

from fastapi.staticfiles import StaticFiles

MAX_AGE = 3600  # seconds; an upgraded desk's assets reach every browser within the hour


class CachedStaticFiles(StaticFiles):
    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = f"public, max-age={MAX_AGE}"
        return response
