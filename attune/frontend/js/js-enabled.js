// Loaded synchronously at the start of <body>: lets NHS.UK components style themselves for
// script-enabled browsers without an inline script (our CSP forbids those).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
