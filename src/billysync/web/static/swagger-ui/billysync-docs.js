// Starts Swagger UI on billysync's OpenAPI description (/docs). Every asset is served from
// /static/swagger-ui, so the page works without internet access.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The public spec validator is a call to the internet; the page stays offline.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
