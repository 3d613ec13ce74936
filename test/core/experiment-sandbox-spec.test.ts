/**
 * Issue 12 item 1: per-experiment `network` and `mounts` under `experiments.<id>` (SECURITY-CHECKLIST
 * 77, 78): each field's error is one line naming it, they reach the Experiment port as `sandbox`,
 * and a runner without the local sandbox gets a report note instead of silently dropping them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { parseRepoConfig } from "../../src/adapters/github/repo-config.js";
import { createDeclaredExperiment } from "../../src/core/declared-experiment.js";
import { decodeExperimentSpecs } from "../../src/core/experiment-spec.js";
import { mountPathProblem } from "../../src/core/mount-path.js";
import { renderReport } from "../../src/core/report/render.js";
import { sandboxNoteFor } from "../../src/core/sandbox-note.js";
import { makeReport } from "./report/fixtures.js";

const base = { command: ["python3", "train.py"], result: "out/result.json" };
const errorOf = (extra: Record<string, unknown>): string => {
  const r = decodeExperimentSpecs({ train: { ...base, ...extra } });
  assert.ok(E.isLeft(r), `expected an error for ${JSON.stringify(extra)}`);
  assert.equal(r.left.split("\n").length, 1, "one line");
  return r.left;
};

describe("experiments.<id>.network and .mounts: the codec (checks 77, 78)", () => {
  it("accepts both, and an experiment without them has neither", () => {
    const r = decodeExperimentSpecs({
      train: { ...base, network: true, mounts: ["/opt/conda", "/usr/local/cuda"] },
      plain: base,
    });
    assert.ok(E.isRight(r));
    assert.equal(r.right["train"]?.network, true);
    assert.deepEqual(r.right["train"]?.mounts, ["/opt/conda", "/usr/local/cuda"]);
    assert.equal("network" in (r.right["plain"] ?? {}), false);
    assert.equal("mounts" in (r.right["plain"] ?? {}), false);
  });

  it("network must be a boolean", () => {
    assert.equal(errorOf({ network: "yes" }), 'experiments.train.network: expected true or false, got "yes"');
    assert.equal(errorOf({ network: 1 }), "experiments.train.network: expected true or false, got 1");
  });

  it("mounts must be a bounded list of strings", () => {
    assert.equal(
      errorOf({ mounts: "/opt" }),
      'experiments.train.mounts: expected an array of at most 16 mounts, got "/opt"',
    );
    assert.equal(
      errorOf({ mounts: Array.from({ length: 17 }, (_, i) => `/opt/t${i}`) }),
      "experiments.train.mounts: expected at most 16 mounts, got 17",
    );
    assert.equal(
      errorOf({ mounts: [5] }),
      "experiments.train.mounts[0]: expected a string of 1-1000 characters, got 5",
    );
  });

  it("each mount is absolute, without . or .. or empty segments, naming its index", () => {
    assert.equal(
      errorOf({ mounts: ["/opt/ok", "opt"] }),
      'experiments.train.mounts[1]: must be an absolute path, got "opt"',
    );
    assert.equal(
      errorOf({ mounts: ["/opt/../etc"] }),
      'experiments.train.mounts[0]: must be an absolute path without ".", ".." or empty segments (no trailing /), got "/opt/../etc"',
    );
    assert.equal(
      errorOf({ mounts: ["/opt/./x"] }),
      'experiments.train.mounts[0]: must be an absolute path without ".", ".." or empty segments (no trailing /), got "/opt/./x"',
    );
    assert.equal(
      errorOf({ mounts: ["/opt//x"] }),
      'experiments.train.mounts[0]: must be an absolute path without ".", ".." or empty segments (no trailing /), got "/opt//x"',
    );
    assert.equal(
      errorOf({ mounts: ["/opt/x/"] }),
      'experiments.train.mounts[0]: must be an absolute path without ".", ".." or empty segments (no trailing /), got "/opt/x/"',
    );
  });

  it("never / and never in or around /proc, /sys, /dev", () => {
    assert.equal(
      errorOf({ mounts: ["/"] }),
      "experiments.train.mounts[0]: must not be / (the sandbox would see the whole host)",
    );
    for (const [m, tree] of [
      ["/proc", "/proc"],
      ["/proc/1", "/proc"],
      ["/sys/fs", "/sys"],
      ["/dev", "/dev"],
      ["/dev/shm", "/dev"],
    ] as const) {
      assert.equal(
        errorOf({ mounts: [m] }),
        `experiments.train.mounts[0]: must not be in or contain ${tree} (the sandbox has its own), got "${m}"`,
      );
    }
    assert.equal(mountPathProblem("/process-tools"), undefined, "a name that only starts like /proc is fine");
    assert.equal(mountPathProblem("/device-libs"), undefined);
  });

  it("an unknown neighbour key is still refused (a typo is never ignored)", () => {
    assert.equal(
      errorOf({ networks: true }),
      "experiments.train.networks: unknown field (known: command, params, result, metrics, primary, timeout, description, network, mounts)",
    );
  });

  it("in .github/ml-chatops.yml the error names the file and the field", () => {
    const r = parseRepoConfig(
      "experiments:\n  train:\n    command: [python3, train.py]\n    result: out/r.json\n    mounts: [/opt/conda, relative]\n",
    );
    assert.ok(E.isLeft(r));
    assert.equal(
      r.left,
      '.github/ml-chatops.yml: experiments.train.mounts[1]: must be an absolute path, got "relative"',
    );
  });
});

describe("the settings reach the Experiment port, and a remote runner says it does not apply them", () => {
  const spec = { command: ["python3", "train.py"], params: {}, result: "out/r.json", metrics: {} };

  it("createDeclaredExperiment carries them as sandbox; without them there is no sandbox key", () => {
    assert.deepEqual(createDeclaredExperiment("train", { ...spec, network: true, mounts: ["/opt/conda"] }).sandbox, {
      network: true,
      mounts: ["/opt/conda"],
    });
    assert.equal("sandbox" in createDeclaredExperiment("train", spec), false);
  });

  it("local: no note; codebuild, argo, github-actions: a note naming the fields; nothing to say without them", () => {
    const exp = createDeclaredExperiment("train", { ...spec, network: true, mounts: ["/opt/conda"] });
    assert.equal(sandboxNoteFor(exp, "local"), undefined);
    for (const kind of ["codebuild", "argo", "github-actions"]) {
      assert.equal(
        sandboxNoteFor(exp, kind),
        `experiments.train.network and experiments.train.mounts apply to the local runner's sandbox only; on ${kind} the command runs in the runner's own environment, whose network and files its configuration decides`,
      );
    }
    assert.match(
      sandboxNoteFor(createDeclaredExperiment("train", { ...spec, network: false }), "argo") ?? "",
      /^experiments\.train\.network applies to/,
    );
    assert.equal(sandboxNoteFor(createDeclaredExperiment("train", spec), "argo"), undefined);
  });

  it("the report shows the note as a Sandbox fact, escaped", () => {
    const body = renderReport({
      ...makeReport(),
      sandboxNote: "experiments.train.mounts applies to the local runner's sandbox only; on codebuild …",
    });
    assert.ok(
      body.includes(
        "- **Sandbox:** experiments.train.mounts applies to the local runner's sandbox only; on codebuild …",
      ),
    );
  });
});
