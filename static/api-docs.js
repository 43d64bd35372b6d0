// /api/docs: Swagger UI (from npm, served under /vendor) reads the OpenAPI document.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    defaultModelsExpandDepth: -1, // the schemas show inside each operation already
    supportedSubmitMethods: ["get"],
  });
});
