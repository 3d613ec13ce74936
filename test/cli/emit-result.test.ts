import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { decodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import { runEmitResult } from "../../src/cli/emit-result.js";
import type { CliIo } from "../../src/cli/io.js";

const capture = (cwd: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd, stderrIsTTY: false };
  return { io, out: () => out.join(""), err: () => err.join("") };
};

describe("ml-chatops emit-result", () => {
  let dir: string;
  const result = { metrics: { accuracy: 0.95 }, rankings: { keywords: { t1: [{ term: "形態素", score: 0.5 }] } } };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "emit-result-"));
    writeFileSync(join(dir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(dir, "bad.json"), "{ nope");
    writeFileSync(join(dir, "shape.json"), JSON.stringify({ metrics: { accuracy: "high" } }));
    writeFileSync(join(dir, "old.json"), JSON.stringify({ documents: [{ id: "t1", keywords: [] }] }));
    symlinkSync(join(dir, "result.json"), join(dir, "link.json"));
    execFileSync("mkfifo", [join(dir, "fifo.json")]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints marker lines the CodeBuild runner decodes back to the same result", async () => {
    const c = capture(dir);
    assert.equal(await runEmitResult(["result.json", "--chunk", "16"], c.io), 0);
    const lines = c.out().trimEnd().split("\n");
    assert.ok(lines.length > 2 && lines.every((l) => l.startsWith("ML_CHATOPS_RESULT v1 ")));
    const decoded = decodeResultMarkers(lines);
    assert.ok(E.isRight(decoded));
    assert.deepEqual(JSON.parse(decoded.right), result);
    assert.equal(c.err(), "");
  });

  const failures: ReadonlyArray<[string, ReadonlyArray<string>, number, RegExp]> = [
    ["no file", [], 2, /expected exactly one FILE/],
    ["missing file", ["missing.json"], 1, /cannot read missing\.json: missing\.json does not exist/],
    ["not JSON", ["bad.json"], 1, /bad\.json is not a valid result: the result is not JSON: Expected property name/],
    [
      "a metric that is no number",
      ["shape.json"],
      1,
      /shape\.json is not a valid result: metrics\.accuracy: expected a finite number/,
    ],
    ["the old keyword shape", ["old.json"], 1, /old\.json is not a valid result: .*documents/],
    ["a symbolic link (check 81)", ["link.json"], 1, /cannot read link\.json: .*symbolic link/],
    ["a FIFO (check 81)", ["fifo.json"], 1, /cannot read fifo\.json: .*FIFO/],
    ["bad chunk", ["result.json", "--chunk", "2"], 2, /--chunk must be an integer >= 4/],
    ["unknown flag", ["result.json", "--x"], 2, /Unknown option/],
  ];
  for (const [name, argv, code, message] of failures) {
    it(`${name}: one line on stderr, exit ${code}`, async () => {
      const c = capture(dir);
      assert.equal(await runEmitResult(argv, c.io), code);
      assert.match(c.err(), message);
      assert.equal(c.err().trimEnd().split("\n").length, 1);
      assert.equal(c.out(), "");
    });
  }

  it("--help", async () => {
    const c = capture(dir);
    assert.equal(await runEmitResult(["--help"], c.io), 0);
    assert.match(c.out(), /^Usage: ml-chatops emit-result FILE/);
  });
});
