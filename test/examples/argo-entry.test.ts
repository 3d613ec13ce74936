import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../examples/argo/run-experiment.mjs", import.meta.url));

// The image's entry point, run with stand-in `npm`/`npx` that record their argv.
describe("examples/argo/run-experiment.mjs", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "entry-"));
    for (const tool of ["npm", "npx"]) {
      const p = join(dir, tool);
      writeFileSync(p, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/${tool}.args"\n`);
      chmodSync(p, 0o755);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (params: string, experiment = "tfidf-keywords") =>
    spawnSync(process.execPath, [SCRIPT], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin`, ML_CHATOPS_EXPERIMENT: experiment, ML_CHATOPS_PARAMS: params, ML_CHATOPS_RESULT_PATH: join(dir, "out", "result.json") },
    });

  it("check 69: parameters become separate argv items for ml-chatops keywords", () => {
    const r = run('{"max_df":"0.4","top":"5","sublinear_tf":"true","use_idf":"false"}');
    assert.equal(r.status, 0, r.stderr);
    const argv = readFileSync(join(dir, "npx.args"), "utf8").trim().split("\n");
    assert.deepEqual(argv, [
      "tsx", "src/cli/main.ts", "keywords", "--input=examples/data/sample-talks.jsonl",
      "--max-df=0.4", "--top=5", "--sublinear-tf", "--no-idf", `--output=${join(dir, "out", "result.json")}`,
    ]);
    assert.ok(existsSync(join(dir, "out", "log-tail.txt")));
  });

  const refused: ReadonlyArray<[string, string]> = [
    ["unknown key", '{"shell":"1"}'],
    ["command substitution", '{"max_df":"$(id)"}'],
    ["flag injection", '{"top":"5 --output=/etc/passwd"}'],
    ["not JSON", "max_df=0.4"],
    ["not an object", '["max_df"]'],
    ["non-string value", '{"top":5}'],
  ];
  for (const [name, params] of refused) {
    it(`check 69: ${name} is refused before anything runs`, () => {
      rmSync(join(dir, "npx.args"), { force: true });
      const r = run(params);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^run-experiment: /);
      assert.ok(!existsSync(join(dir, "npx.args")));
    });
  }

  it("an unknown experiment is refused", () => {
    assert.equal(run("{}", "other").status, 2);
  });
});
