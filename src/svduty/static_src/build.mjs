// Builds svduty's front end into src/svduty/static/build/ (architecture D4).
//
//   npm ci && npm run build
//
// No bundler: Sass is compiled with the `sass` JS API, and the browser builds that
// the packages already ship are copied as they are. Nothing is fetched at run time:
// every file the pages load comes from here and is served by whitenoise.

import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const modules = join(root, "node_modules");
const out = join(root, "src/svduty/static/build");

function copy(from, to) {
  const source = join(modules, from);
  if (!existsSync(source)) {
    throw new Error(`Missing ${from}: run "npm ci" first, or the package layout changed.`);
  }
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, target, { recursive: true });
}

function copyOwn(from, to) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(here, from), target, { recursive: true });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let hiddenWarnings = 0;

// Every source map a copied file points at is copied too: Django's
// ManifestStaticFilesStorage (collectstatic in production) follows
// sourceMappingURL comments and fails if the file is missing.

// 1. Styles. Asset URLs in the CSS point at /static/build/assets/ (set in the Sass).
const result = sass.compile(join(here, "scss/application.scss"), {
  style: "compressed",
  // MoJ Frontend forwards "node_modules/govuk-frontend/dist/govuk/base", which
  // resolves against the project root.
  loadPaths: [root],
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  sourceMap: false,
  logger: {
    // MoJ Frontend 11 still calls a GOV.UK Frontend 6 mixin that is deprecated, and
    // pins GOV.UK's suppressed-warnings list, so the warning cannot be silenced the
    // usual way. Hide warnings raised from inside MoJ's own files; show all others.
    warn(message, { stack }) {
      if (stack && stack.includes("node_modules/@ministryofjustice/frontend/")) {
        hiddenWarnings += 1;
        return;
      }
      console.warn(`Sass warning: ${message}\n${stack ?? ""}`);
    },
  },
});
if (hiddenWarnings) {
  console.log(`(${hiddenWarnings} deprecation warning(s) from MoJ Frontend's own Sass hidden)`);
}
writeFileSync(join(out, "application.css"), result.css);

// 2. GOV.UK Frontend: fonts, images, manifest and the ES module.
copy("govuk-frontend/dist/govuk/assets", "assets");
copy("govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js");
copy("govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend.min.js.map");

// 3. MoJ Frontend: its images live beside GOV.UK's ($moj-images-path), and its ES module.
copy("@ministryofjustice/frontend/moj/assets/images", "assets/images");
copy("@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js");
copy("@ministryofjustice/frontend/moj/moj-frontend.min.js.map", "moj-frontend.min.js.map");

// 4. Leaflet (maps).
copy("leaflet/dist/leaflet.js", "leaflet/leaflet.js");
copy("leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map");
copy("leaflet/dist/leaflet.css", "leaflet/leaflet.css");
copy("leaflet/dist/images", "leaflet/images");

// 5. Vega, Vega-Lite and vega-embed (charts). The UMD builds define the globals
// vega, vegaLite and vegaEmbed. vega-embed bundles vega-interpreter, which evaluates
// expressions without eval/new Function, so the CSP needs no 'unsafe-eval'.
copy("vega/build/vega.min.js", "vega/vega.min.js");
copy("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js");
copy("vega-lite/build/vega-lite.min.js.map", "vega/vega-lite.min.js.map");
copy("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js");
copy("vega-embed/build/vega-embed.min.js.map", "vega/vega-embed.min.js.map");

// 6. htmx (progressive enhancement) and axe-core (accessibility checks in browser tests).
copy("htmx.org/dist/htmx.min.js", "htmx.min.js");
copy("axe-core/axe.min.js", "axe.min.js");

// 7. Our own scripts and images.
copyOwn("js", "js");
copyOwn("images", "images");

console.log(`Built the front end into ${relative(root, out)}/`);
