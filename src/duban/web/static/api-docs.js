// Starts the vendored Swagger UI on /api/docs (a script file: the CSP allows no inline script).
(function () {
  var holder = document.getElementById("swagger-ui");
  if (!holder || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: holder.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    validatorUrl: null,          // no badge fetched from the internet
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    requestInterceptor: function (request) {
      // the page's session cookie goes along; state-changing calls need the CSRF token
      var token = document.body.getAttribute("data-csrf");
      if (token) { request.headers["X-CSRF-Token"] = token; }
      return request;
    }
  });
})();
