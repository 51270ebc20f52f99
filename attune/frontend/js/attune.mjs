// Starts the NHS.UK frontend components (header menu, error summary focus, password reveal...)
// and Attune's own behaviour.
import { initAll } from "./nhsuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.mjs";
import { initUploadProgress } from "./upload-progress.mjs";

initAll();
initSessionTimeout();
initUploadProgress();
