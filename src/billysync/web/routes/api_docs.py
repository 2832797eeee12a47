"""`/docs`: the JSON API's interactive documentation (Swagger UI), served without a CDN.

FastAPI's built-in page loads Swagger UI from a CDN, so it is blank where the server has no
internet (an office network, a locked-down host). Here the page loads the copy vendored in
`static/swagger-ui` (see VENDORED.md there) and a small start script: no inline script, so
the page runs under a Content-Security-Policy that allows only this site.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

ASSETS = "/static/swagger-ui"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>billysync JSON API</title>
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/billysync-docs.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
