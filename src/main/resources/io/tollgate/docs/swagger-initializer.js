// Swagger UI over the gateway's own /openapi.json, named by the page relative to itself (so under any context path).
// No validator badge: it would send the document to validator.swagger.io. Keys typed into "Authorize" are not kept.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: new URL(root.dataset.url, document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
