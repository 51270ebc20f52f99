// Builds Attune's front-end assets into attune/static/build:
// the NHS.UK frontend stylesheet (compiled with our additions from attune.scss),
// the NHS.UK frontend script, Attune's own scripts and the NHS.UK icons.
// Run with `npm run build` (the Makefile does this for you).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(root, "attune", "static", "build");
const nhsuk = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(here, "attune.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "attune.css"), css.css);

cpSync(join(nhsuk, "nhsuk-frontend.min.js"), join(out, "nhsuk-frontend.min.js"));
cpSync(join(nhsuk, "assets"), join(out, "assets"), { recursive: true });
cpSync(join(here, "js"), out, { recursive: true });

console.log(`Built front-end assets into ${out}`);
