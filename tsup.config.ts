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

// One entry per public subpath (package.json "exports"), plus the CLI. Every dependency stays
// external: vendor SDKs are optional peers the user installs.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    "nlp/index": "src/nlp/index.ts",
    "adapters/local/index": "src/adapters/local/index.ts",
    "adapters/memory/index": "src/adapters/memory/index.ts",
    "adapters/argo/index": "src/adapters/argo/index.ts",
    "adapters/github-actions/index": "src/adapters/github-actions/index.ts",
    "adapters/codebuild/index": "src/adapters/codebuild/index.ts",
    "adapters/github/index": "src/adapters/github/index.ts",
    "cli/main": "src/cli/main.ts",
  },
  // tsup externalizes only dependencies + peerDependencies; the optional AWS SDK must not be bundled.
  external: [/^@aws-sdk\//, /^@smithy\//, /^@octokit\//],
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "nlp/index": "src/nlp/index.ts", "adapters/local/index": "src/adapters/local/index.ts", "adapters/memory/index": "src/adapters/memory/index.ts", "adapters/argo/index": "src/adapters/argo/index.ts", "adapters/github-actions/index": "src/adapters/github-actions/index.ts", "adapters/codebuild/index": "src/adapters/codebuild/index.ts", "adapters/github/index": "src/adapters/github/index.ts" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
  splitting: false,
  shims: true,
  plugins: [esmDeepImports],
});
