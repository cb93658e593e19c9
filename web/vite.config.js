// Builds the browser pages into dist/: every asset under dist/assets/ with a content hash in its
// name (served as immutable), the HTML pages at dist/'s top (served no-cache).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

const PAGES = ["index", "graphiql"];

// Each <script src> and <link href> of a built page gets the sha384 digest of the file it names
// as its `integrity`, so a browser refuses an asset that is not the one built. The digests are
// taken from the files as written, after every other step of the build.
function subresourceIntegrity() {
  let outDir = "";
  return {
    name: "dealgraph-subresource-integrity",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle: {
      order: "post",
      handler() {
        for (const page of PAGES) {
          const path = resolve(outDir, `${page}.html`);
          writeFileSync(path, withIntegrity(readFileSync(path, "utf8")));
        }
      },
    },
  };

  function withIntegrity(html) {
    return html.replace(/<(?:script|link)\b[^>]*?(?:src|href)="\/(assets\/[^"]+)"[^>]*>/g, (tag, file) => {
      const digest = createHash("sha384").update(readFileSync(resolve(outDir, file))).digest("base64");
      return tag.replace(/\s*\/?>$/, ` integrity="sha384-${digest}">`);
    });
  }
}

export default defineConfig({
  base: "/",
  plugins: [subresourceIntegrity()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // Monaco, GraphiQL's editor, is large; it is served compressed and cached for good.
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      // React libraries mark modules "use client", which means nothing to a bundle for browsers.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      input: Object.fromEntries(PAGES.map((page) => [page, resolve(import.meta.dirname, `${page}.html`)])),
    },
  },
});
