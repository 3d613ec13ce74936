#!/usr/bin/env node
// After the build: in the CommonJS declaration files (dist/**/*.d.cts), imports from the
// ESM-only @octokit packages become `import type … with { "resolution-mode": "import" }`.
// Without it, a CommonJS TypeScript project (`module: node16`) fails on our types with TS1479,
// although at run time Node >= 20.19 loads those packages through require().
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ESM_ONLY = /^import \{ ([^}]+) \} from '(@octokit\/[^']+)';$/gm;

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".d.cts") ? [p] : [];
  });

let changed = 0;
for (const file of walk("dist")) {
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(
    ESM_ONLY,
    (_m, names, pkg) => `import type { ${names} } from '${pkg}' with { 'resolution-mode': 'import' };`,
  );
  if (fixed !== text) {
    writeFileSync(file, fixed);
    changed += 1;
  }
}
process.stdout.write(`cts-esm-type-imports: ${changed} declaration file(s) adjusted\n`);
