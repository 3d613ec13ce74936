/**
 * Issue 10 item 4 on the local runner: with `keepArtifactsIn` a succeeded run's result and images
 * are kept on this machine and the report names the local path; without it the report says the
 * runner keeps none. The images are PR output: a link planted as an image is not followed
 * (SECURITY-CHECKLIST 81), and the path is shown as literal code (65).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import { createDeclaredExperiment } from "../../../src/core/declared-experiment.js";
import { renderReport } from "../../../src/core/report/render.js";
import { createTempGitRepo } from "../../support/git-repo.js";
import type { TempGitRepo } from "../../support/git-repo.js";
import { makeReport } from "../../core/report/fixtures.js";
import { requestFor, waitTerminal } from "./fixtures.js";

const SCRIPT = `
import { mkdirSync, writeFileSync, symlinkSync } from "node:fs";
mkdirSync("out/plots", { recursive: true });
writeFileSync("out/plots/roc.png", "PNG-BYTES");
symlinkSync("/etc/hostname", "out/leak.png");
writeFileSync("out/result.json", JSON.stringify({ metrics: { accuracy: 0.9 }, images: [{ title: "ROC", path: "out/plots/roc.png" }, { title: "leak", path: "out/leak.png" }] }));
`;
const experiment = createDeclaredExperiment("test-exp", {
  command: ["node", "plot.mjs"],
  params: {},
  result: "out/result.json",
  metrics: {},
});

describe("local runner: the run's files kept at a local path, named in the report (issue 10 item 4)", () => {
  let repo: TempGitRepo;
  let sha: string;
  let scratch: string;
  before(() => {
    repo = createTempGitRepo();
    sha = repo.commit({ "plot.mjs": SCRIPT }, "plot");
    scratch = mkdtempSync(join(tmpdir(), "ml-chatops-keep-"));
    mkdirSync(join(scratch, "runs"));
  });
  after(() => {
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const runWith = async (keep: string | undefined) => {
    const runner = createLocalRunner(
      { experiments: [experiment], env: { PATH: process.env["PATH"] }, processEnv: {} },
      {
        repoPath: repo.path,
        command: [process.execPath],
        tmpDir: join(scratch, "runs"),
        ...(keep === undefined ? {} : { keepArtifactsIn: keep }),
      },
    );
    const h = await runner.start(requestFor(sha, {}))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "succeeded", status.detail);
    const result = await runner.result(h.right)();
    assert.ok(E.isRight(result));
    return { id: h.right.id, result: result.right };
  };

  it("keepArtifactsIn: result.json and the regular image are kept, the planted link is not followed; the Artifacts line names the path", async () => {
    const keep = join(scratch, "kept");
    const { id, result } = await runWith(keep);
    const dir = join(keep, id.replace(/[^A-Za-z0-9._-]/g, "_"));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "result.json"), "utf8")), result.output);
    assert.equal(readFileSync(join(dir, "images", "out", "plots", "roc.png"), "utf8"), "PNG-BYTES");
    assert.equal(
      existsSync(join(dir, "images", "out", "leak.png")),
      false,
      "the symlink was refused, not copied through",
    );
    const line = renderReport(
      makeReport({ ...(result.artifacts === undefined ? {} : { artifacts: result.artifacts }), result: result.output }),
    )
      .split("\n")
      .find((l) => l.startsWith("- **Artifacts:**"));
    assert.equal(
      line,
      `- **Artifacts:** \`${dir}\` · result.json and 1 of 2 images kept on the runner's machine (1 not a readable regular file under 16777216 bytes)`,
    );
    assert.deepEqual(readdirSync(join(scratch, "runs")), [], "the checkout itself is still removed");
  });

  it("without it the report says the local runner keeps none, and how to keep them", async () => {
    const { result } = await runWith(undefined);
    const line = renderReport(
      makeReport({ ...(result.artifacts === undefined ? {} : { artifacts: result.artifacts }), result: result.output }),
    )
      .split("\n")
      .find((l) => l.startsWith("- **Artifacts:**"));
    assert.equal(
      line,
      "- **Artifacts:** the local runner removes the checkout after the run and keeps no artifacts (set keepArtifactsIn to keep them)",
    );
  });

  it("a relative keepArtifactsIn is refused at construction", () => {
    assert.throws(
      () =>
        createLocalRunner(
          { experiments: [experiment] },
          { repoPath: repo.path, command: [process.execPath], keepArtifactsIn: "kept" },
        ),
      /keepArtifactsIn must be absolute, got "kept"/,
    );
  });
});
