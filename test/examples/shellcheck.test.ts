import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { CHECKOUT_SCRIPT } from "../../src/adapters/argo/workflow.js";

// SECURITY-CHECKLIST 75: every shell script we ship passes shellcheck (Debian package `shellcheck`).
const ROOT = resolve(import.meta.dirname, "..", "..");

const shellcheck = (
  script: string,
  shell: "bash" | "sh",
  exclude: ReadonlyArray<string> = [],
): { status: number | null; out: string } => {
  const excluded = exclude.length > 0 ? ["--exclude", exclude.join(",")] : [];
  const r = spawnSync("shellcheck", ["--shell", shell, "--severity", "style", ...excluded, "-"], {
    input: script,
    encoding: "utf8",
  });
  assert.ok(r.error === undefined, "shellcheck is missing: apt-get install -y shellcheck");
  return { status: r.status, out: r.stdout + r.stderr };
};

/** The buildspec's commands, one script per phase, as CodeBuild runs them (bash). */
const buildspecScripts = (): ReadonlyArray<[string, string]> => {
  const spec = parse(readFileSync(join(ROOT, "examples", "github-codebuild", "buildspec.yml"), "utf8")) as {
    phases: Record<string, { commands?: string[] }>;
  };
  return Object.entries(spec.phases).map(([phase, p]) => [phase, (p.commands ?? []).join("\n")]);
};

/** Every `run:` script of the workflows `init` writes (the examples), as Actions runs them (bash). */
const workflowScripts = (): ReadonlyArray<[string, string]> =>
  readdirSync(join(ROOT, "examples"), { recursive: true, encoding: "utf8" })
    .filter((p) => /\.github\/workflows\/[^/]+\.yml$/.test(p))
    .flatMap((p) => {
      const wf = parse(readFileSync(join(ROOT, "examples", p), "utf8")) as {
        jobs: Record<string, { steps?: Array<{ name?: string; run?: string }> }>;
      };
      return Object.entries(wf.jobs).flatMap(([job, j]) =>
        (j.steps ?? []).flatMap((s, i) =>
          s.run === undefined ? [] : [[`examples/${p} ${job} step ${i + 1}`, s.run] as [string, string]],
        ),
      );
    });

describe("check 75: shipped shell passes shellcheck", () => {
  it("the workflows' run: scripts are found (the scan is not vacuous)", () => {
    assert.ok(workflowScripts().some(([where]) => where.includes("label-to-argo.yml")));
  });

  for (const [where, script] of workflowScripts()) {
    it(where, () => {
      const r = shellcheck(`#!/bin/bash\n${script}\n`, "bash");
      assert.equal(r.status, 0, r.out);
    });
  }

  for (const [phase, script] of buildspecScripts()) {
    it(`examples/github-codebuild/buildspec.yml ${phase} commands`, () => {
      const r = shellcheck(`#!/bin/bash\n${script}\n`, "bash");
      assert.equal(r.status, 0, r.out);
    });
  }

  it("the Argo container's checkout script", () => {
    // SC2006 (backticks) is the script's deliberate choice: Kubernetes expands `$(NAME)` in args.
    const r = shellcheck(`#!/bin/sh\n${CHECKOUT_SCRIPT}\n`, "sh", ["SC2006"]);
    assert.equal(r.status, 0, r.out);
  });

  it("the check is live: an unquoted $VAR is reported", () => {
    const r = shellcheck("#!/bin/sh\nrm -rf $TARGET/tmp\n", "sh");
    assert.notEqual(r.status, 0);
    assert.match(r.out, /SC2086/);
  });
});
