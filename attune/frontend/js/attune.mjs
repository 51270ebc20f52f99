// Starts the NHS.UK frontend components (header menu, error summary focus, password reveal...).
import { initAll } from "./nhsuk-frontend.min.js";

initAll();
