// The built command reads the dictionary prepared at build time (dist/ipadic.bin) and never
// inflates kuromoji's .gz files on an ordinary run: a fresh cache directory receives token
// entries only, no dictionary; --no-cache reads the same shipped file and writes nothing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "ml-chatops.js");
const CORPUS = join(ROOT, "examples", "data", "sample-talks.jsonl");

const run = (args: ReadonlyArray<string>) => {
  assert.ok(
    existsSync(join(ROOT, "dist", "cli", "main.js")),
    "dist/ is missing: run `npm run build` (npm ci does it through prepare)",
  );
  return spawnSync(process.execPath, [BIN, "keywords", "--input", CORPUS, "--quiet", ...args], {
    cwd: mkdtempSync(join(tmpdir(), "ml-chatops-dict-")),
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "" },
  });
};

describe("keywords and the shipped dictionary", () => {
  it("the build ships dist/ipadic.bin, listed in the package files through dist/", () => {
    const file = join(ROOT, "dist", "ipadic.bin");
    assert.ok(existsSync(file), "npm run build writes dist/ipadic.bin");
    assert.ok(statSync(file).size > 20 * 2 ** 20, "the whole dictionary, not a stub");
  });

  it("a fresh cache directory gets tokens only: the dictionary was read from the package, not inflated into the cache", () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), "ml-chatops-cache-")), "cache");
    const r = run(["--cache-dir", cacheDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { documents: unknown[] }).documents.length, 30);
    assert.deepEqual(readdirSync(cacheDir), ["tokens"]);
  });

  it("--no-cache still tokenizes with the shipped dictionary and writes no cache", () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), "ml-chatops-cache-")), "cache");
    const r = run(["--cache-dir", cacheDir, "--no-cache"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { documents: unknown[] }).documents.length, 30);
    assert.equal(existsSync(cacheDir), false);
  });
});
