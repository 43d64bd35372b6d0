// /api/docs: Swagger UI (from npm, served under /vendor) reads the OpenAPI document.
// Configured for accessibility (axe-core, WCAG 2 AA): no deep links (Swagger UI puts each
// operation's link inside its expand button: nested interactive controls) and no colour
// highlighting of examples (its colours fail contrast); app.css darkens the method badges.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: false,
    syntaxHighlight: false,
    defaultModelsExpandDepth: -1, // the schemas show inside each operation already
    supportedSubmitMethods: ["get"],
  });

  // Swagger UI draws a parameter's list of allowed values as a <select> with no label, and
  // examples in boxes that scroll but take no focus: name each select after its parameter
  // and let the keyboard reach each example (as it draws them, and whenever it redraws).
  new MutationObserver(function () {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.closest("tr").dataset.paramName);
    });
    root.querySelectorAll(".highlight-code pre:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-label", "Example");
    });
  }).observe(root, {childList: true, subtree: true});
});
