import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// The installed command runs the built bundle, not the sources: bundling mistakes (a CommonJS
// dependency inlined into ESM, a command chunk that fails to load) only show here.
const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "ml-chatops.js");

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  assert.ok(
    existsSync(join(ROOT, "dist", "cli", "main.js")),
    "dist/ is missing: run `npm run build` (npm ci does it through prepare)",
  );
  const cwd = mkdtempSync(join(tmpdir(), "ml-chatops-bin-"));
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", ...env },
  });
};

describe("the built ml-chatops command", () => {
  it("lists every command", () => {
    const r = run(["--help"]);
    assert.equal(r.status, 0, r.stderr);
    for (const name of ["keywords", "demo", "on-comment", "on-label", "collect", "emit-result"])
      assert.match(r.stdout, new RegExp(`^  ${name} `, "m"));
  });

  it("keywords runs from any directory (the dictionary comes from the package)", () => {
    const r = run([
      "keywords",
      "--input",
      join(ROOT, "examples", "data", "sample-talks.jsonl"),
      "--top",
      "3",
      "--no-cache",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { documents: Array<{ id: string; keywords: unknown[] }> };
    assert.equal(out.documents.length, 30);
    assert.equal(out.documents[0]?.id, "sample-001");
    assert.equal(out.documents[0]?.keywords.length, 3);
  });

  for (const command of ["on-comment", "on-label", "collect"]) {
    it(`${command} loads its code and explains what is missing outside GitHub Actions`, () => {
      const r = run([command]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /GITHUB_EVENT_NAME is not set/);
    });
  }

  it("emit-result loads and refuses a missing file with one line", () => {
    const r = run(["emit-result", "/nonexistent/result.json"]);
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });
});
