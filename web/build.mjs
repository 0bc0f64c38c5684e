// Bundles src/ into dist/ (app.js, app.css; package web serves
// src/index.html, which loads them): deterministic
// output, no source maps, so that .ci/run can compare it with the
// committed bundle.
import { build } from "esbuild";

await build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: "dist",
  legalComments: "none",
  logLevel: "warning",
});
