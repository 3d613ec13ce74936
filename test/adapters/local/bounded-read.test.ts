/**
 * Check 81: what PR code hands back is read as data: regular files only, size-capped before
 * reading, never blocking, never through a link (the file or a directory on its way).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { readBoundedFile } from "../../../src/adapters/local/bounded-read.js";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import { RESULT_LIMITS } from "../../../src/core/result.js";
import { createTempGitRepo } from "../../support/git-repo.js";
import type { TempGitRepo } from "../../support/git-repo.js";
import { EXPERIMENT_SCRIPT, requestFor, scriptExperiment, waitTerminal } from "./fixtures.js";
import { assertLeft, literally } from "../../support/assert-error.js";

const limits = { maxBytes: 1024, timeoutMs: 2000 };

describe("check 81: readBoundedFile", () => {
  let root: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "ml-chatops-bounded-"));
    outside = mkdtempSync(join(tmpdir(), "ml-chatops-outside-"));
    mkdirSync(join(root, "out"));
    writeFileSync(join(root, "out", "ok.json"), '{"a":1}');
    writeFileSync(join(outside, "secret.json"), '{"secret":1}');
    symlinkSync("/dev/zero", join(root, "out", "zero.json"));
    symlinkSync(join(outside, "secret.json"), join(root, "out", "link.json"));
    execFileSync("mkfifo", [join(root, "out", "fifo.json")]);
    mkdirSync(join(root, "out", "dir.json"));
    writeFileSync(join(root, "out", "big.json"), "");
    truncateSync(join(root, "out", "big.json"), 1025);
    symlinkSync(outside, join(root, "linked"));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it("a regular file inside the cap is read", async () => {
    const r = await readBoundedFile(root, "out/ok.json", limits);
    assert.ok(E.isRight(r));
    assert.equal(r.right.toString("utf8"), '{"a":1}');
  });

  const refused: ReadonlyArray<[string, string]> = [
    ["out/zero.json", "out/zero.json is refused: it is a symbolic link, not a regular file"],
    ["out/link.json", "out/link.json is refused: it is a symbolic link, not a regular file"],
    ["out/fifo.json", "out/fifo.json is refused: it is a FIFO, not a regular file"],
    ["out/dir.json", "out/dir.json is refused: it is a directory, not a regular file"],
    ["out/big.json", "out/big.json is 1025 bytes, over the cap of 1024"],
    ["linked/secret.json", "linked/secret.json is refused: linked is a symbolic link, not a directory"],
    ["out/missing.json", "out/missing.json does not exist"],
    ["../outside.json", '"../outside.json" is not a plain relative path'],
    ["/etc/passwd", '"/etc/passwd" is not a plain relative path'],
  ];
  for (const [path, why] of refused) {
    it(`${path} is refused with the reason`, async () => {
      const r = await readBoundedFile(root, path, limits);
      assert.ok(E.isLeft(r));
      assert.equal(r.left, why);
    });
  }
});

describe("check 81: the local runner reads the result as bounded data", () => {
  let repo: TempGitRepo;
  let sha: string;
  before(() => {
    repo = createTempGitRepo();
    sha = repo.commit({ "experiment.mjs": EXPERIMENT_SCRIPT, VERSION: "v1\n" }, "v1");
  });
  after(() => repo.remove());

  const cases: ReadonlyArray<[string, string]> = [
    ["fifo", "the result file is unusable: out/result.json is refused: it is a FIFO, not a regular file"],
    ["zero", "the result file is unusable: out/result.json is refused: it is a symbolic link, not a regular file"],
    [
      "huge",
      `the result file is unusable: out/result.json is ${64 * 1024 * 1024} bytes, over the cap of ${RESULT_LIMITS.maxBytes}`,
    ],
  ];
  for (const [mode, detail] of cases) {
    it(`a ${mode} result ends the run as failed, well before its deadline`, async () => {
      const runner = createLocalRunner(
        { experiments: [scriptExperiment], env: { PATH: process.env["PATH"] } },
        { repoPath: repo.path, command: [process.execPath], timeoutMs: 120_000 },
      );
      const h = await runner.start(requestFor(sha, { mode }))();
      assert.ok(E.isRight(h));
      const status = await waitTerminal(runner, h.right);
      assert.equal(status.state, "failed");
      assert.equal(status.detail, detail);
      const result = await runner.result(h.right)();
      assertLeft(result, "ResultInvalid", literally(`has no result: it is failed (${detail})`)); // check 81
    });
  }
});
