"""/docs works offline: Swagger UI and its assets come from billysync itself, in Chromium.

Every request the page makes to anywhere but billysync's own address is blocked and
recorded, as on a server without internet access; the page must still show the JSON API's
operations, with no Content-Security-Policy violation and no failed request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.e2e_helpers import make_runtime, serve, shot

pytestmark = pytest.mark.browser


def test_the_api_documentation_works_offline(page: Any, tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    with serve(rt) as served:
        own = urlsplit(served.url).netloc
        outside: list[str] = []
        failed: list[str] = []
        problems: list[str] = []

        def offline(route: Any) -> None:
            if urlsplit(route.request.url).netloc == own:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", offline)
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        answer = page.goto(served.url + "/docs")
        assert answer is not None and answer.status == 200
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        page.get_by_text("/api/v1/orders/{key}").first.wait_for()
        operation = page.locator(".opblock-summary-path", has_text="/api/v1/orders/{key}")
        assert operation.count() >= 2  # PUT and GET
        assert page.locator(".opblock-tag", has_text="JSON API").count() == 1
        shot(page, "api-docs")
        assert outside == [], "the page reached outside billysync"
        assert failed == [] and problems == []
    rt.db.dispose()
