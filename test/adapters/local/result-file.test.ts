/**
 * Check 81: the result file PR code wrote, as `ml-chatops exec` and `emit-result` read it
 * (`readExperimentResult`): bounded, strict UTF-8, the result contract; each way it is unusable
 * is its own tag, with the reason.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { readExperimentResult } from "../../../src/adapters/local/index.js";
import { RESULT_LIMITS } from "../../../src/core/result.js";
import { assertLeft } from "../../support/assert-error.js";

const opts = { timeoutMs: 5000 };

describe("check 81: readExperimentResult", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ml-chatops-result-file-"));
    writeFileSync(join(dir, "ok.json"), '{"metrics":{"accuracy":0.95}}');
    // A lone continuation byte: not UTF-8, whatever a lenient decoder would make of it.
    writeFileSync(join(dir, "latin1.json"), Buffer.from([0x7b, 0x22, 0x80, 0x22, 0x7d]));
    writeFileSync(join(dir, "shape.json"), '{"metrics":{"accuracy":"x"}}');
    writeFileSync(join(dir, "big.json"), "");
    truncateSync(join(dir, "big.json"), RESULT_LIMITS.maxBytes + 1);
    mkdirSync(join(dir, "elsewhere"));
    writeFileSync(join(dir, "elsewhere", "r.json"), '{"metrics":{"a":1}}');
    symlinkSync(join(dir, "elsewhere", "r.json"), join(dir, "link.json"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a valid result is the decoded contract", async () => {
    assert.deepEqual(await readExperimentResult(dir, "ok.json", opts), E.right({ metrics: { accuracy: 0.95 } }));
  });

  it("a missing file, a link and a file over the cap are ResultUnreadable, naming the file and why", async () => {
    assertLeft(
      await readExperimentResult(dir, "missing.json", opts),
      "ResultUnreadable",
      /missing\.json does not exist/,
    );
    assertLeft(await readExperimentResult(dir, "link.json", opts), "ResultUnreadable", /link\.json .*symbolic link/);
    assertLeft(
      await readExperimentResult(dir, "big.json", opts),
      "ResultUnreadable",
      new RegExp(`big\\.json is ${RESULT_LIMITS.maxBytes + 1} bytes, over the cap of ${RESULT_LIMITS.maxBytes}`),
    );
  });

  it("bytes that are not UTF-8 are ResultNotText, never decoded with replacement characters", async () => {
    const r = await readExperimentResult(dir, "latin1.json", opts);
    assert.deepEqual(r, E.left({ _tag: "ResultNotText" }));
  });

  it("text that breaks the contract is ResultInvalid with the field", async () => {
    assertLeft(
      await readExperimentResult(dir, "shape.json", opts),
      "ResultInvalid",
      /detail=metrics\.accuracy: expected a finite number/,
    );
  });
});
