// Layering rules (STYLE.md §2.1): core knows no vendor and no adapter; adapters never import
// each other; nlp imports only core types; the CLI reaches the library only through its public
// entries (src/index.ts, src/adapters/<name>/index.ts, src/nlp/index.ts); run state has one owner, the ledger.
module.exports = {
  forbidden: [
    {
      name: "core-imports-only-fp",
      severity: "error",
      comment: "core imports only fp-ts, io-ts and itself",
      from: { path: "^src/core/" },
      to: { pathNot: ["^src/core/", "node_modules/(fp-ts|io-ts)/"], dependencyTypesNot: ["core"] },
    },
    {
      name: "core-no-node-builtins",
      severity: "error",
      comment: "core is pure: no node built-ins",
      from: { path: "^src/core/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "adapters-are-independent",
      severity: "error",
      comment: "an adapter never imports another adapter",
      from: { path: "^src/adapters/([^/]+)/" },
      to: { path: "^src/adapters/([^/]+)/", pathNot: "^src/adapters/$1/" },
    },
    {
      name: "nlp-imports-only-core",
      severity: "error",
      comment: "nlp imports core types and its own files, no adapters",
      from: { path: "^src/nlp/" },
      to: { path: "^src/(adapters|cli)/" },
    },
    {
      name: "library-never-imports-cli",
      severity: "error",
      from: { path: "^src/(core|nlp|adapters)/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "ledger-owns-run-state",
      severity: "error",
      comment:
        "the ledger (src/core/ledger/) is the only reader and writer of run state: nothing else imports its markers or the render of the state line",
      from: { pathNot: "^src/core/ledger/" },
      to: { path: "^src/core/ledger/markers\\.ts$" },
    },
    {
      name: "cli-imports-public-entries",
      severity: "error",
      comment:
        "the CLI composes the library as a user would: only through the package's public entries (ml-chatops, ml-chatops/adapters/<name>, ml-chatops/nlp), never core, adapter or nlp internals",
      from: { path: "^src/cli/" },
      to: {
        path: "^src/(core|adapters/[^/]+|nlp)/",
        pathNot: "^src/(adapters/[^/]+|nlp)/index\\.ts$",
      },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
