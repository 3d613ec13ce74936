import { defineConfig } from "tsup";
import type { Options } from "tsup";

// Node's ESM loader refuses directory imports such as "fp-ts/Either" (fp-ts and io-ts have no
// "exports" map), so ESM output names their CommonJS files: "fp-ts/lib/Either.js".
const esmDeepImports: NonNullable<Options["plugins"]>[number] = {
  name: "esm-deep-imports",
  renderChunk(code) {
    if (this.format !== "esm") return undefined;
    return { code: code.replace(/(from |import\()"(fp-ts|io-ts)\/([A-Za-z]+)"/g, '$1"$2/lib/$3.js"') };
  },
};

const shared: Options = {
  // tsup externalizes only dependencies + peerDependencies; the optional vendor SDKs must not be bundled.
  external: [/^@aws-sdk\//, /^@smithy\//, /^@octokit\//],
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  plugins: [esmDeepImports],
};

// One entry per public subpath (package.json "exports"), ESM + CJS. Every dependency stays
// external: vendor SDKs are optional peers the user installs.
const library: Options = {
  ...shared,
  entry: {
    index: "src/index.ts",
    "nlp/index": "src/nlp/index.ts",
    // The worker thread's script, loaded by path (tokenizeWorkerScript), not imported.
    "nlp/tokenize-worker": "src/nlp/tokenize-worker.ts",
    "adapters/local/index": "src/adapters/local/index.ts",
    "adapters/memory/index": "src/adapters/memory/index.ts",
    "adapters/argo/index": "src/adapters/argo/index.ts",
    "adapters/github-actions/index": "src/adapters/github-actions/index.ts",
    "adapters/codebuild/index": "src/adapters/codebuild/index.ts",
    "adapters/github/index": "src/adapters/github/index.ts",
  },
  format: ["esm", "cjs"],
  dts: {
    entry: {
      index: "src/index.ts",
      "nlp/index": "src/nlp/index.ts",
      "adapters/local/index": "src/adapters/local/index.ts",
      "adapters/memory/index": "src/adapters/memory/index.ts",
      "adapters/argo/index": "src/adapters/argo/index.ts",
      "adapters/github-actions/index": "src/adapters/github-actions/index.ts",
      "adapters/codebuild/index": "src/adapters/codebuild/index.ts",
      "adapters/github/index": "src/adapters/github/index.ts",
    },
  },
  // The two builds run side by side, so neither cleans; the build script empties dist/ first.
  clean: false,
  splitting: false,
};

// The CLI, ESM only, split so each command's code (and the SDKs it imports) loads on first use.
// fp-ts and io-ts are bundled into it: Node loads their CommonJS files one by one, each scanned
// for its exports, a measurable part of a warm `keywords` re-run (the library keeps them external).
const cli: Options = {
  ...shared,
  entry: { main: "src/cli/main.ts" },
  noExternal: [/^fp-ts(\/|$)/, /^io-ts(\/|$)/],
  outDir: "dist/cli",
  format: ["esm"],
  splitting: true,
  clean: false,
};

/**
 * The GitHub Action: one self-contained CommonJS file, every dependency bundled, committed to the
 * repository as action/index.cjs (`npm run build:action`; a test fails when it is out of date).
 * Not part of `build`, so installing the package never rewrites the committed bundle.
 */
export const actionBundle: Options = {
  entry: { index: "src/cli/action-main.ts" },
  // A test builds into a temporary folder and compares with the committed file.
  outDir: process.env["ML_CHATOPS_ACTION_OUT"] ?? "action",
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  target: "node20",
  platform: "node",
  // Our own import.meta.url shim, not tsup's: tsup injects its shim file by its real path, so the
  // bundle would name where this checkout's node_modules really lives.
  shims: false,
  banner: { js: '"use strict";\nvar __actionImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  clean: false,
  minify: false,
  plugins: [esmDeepImports],
  // Module paths are written into the bundle: resolved through a symlinked node_modules (a git
  // worktree's) they would name the link's target, and the committed file would differ by checkout.
  esbuildOptions: (options) => {
    options.preserveSymlinks = true;
    options.define = { ...options.define, "import.meta.url": "__actionImportMetaUrl" };
  },
};

export default process.env["ML_CHATOPS_BUILD"] === "action"
  ? defineConfig([actionBundle])
  : defineConfig([library, cli]);
