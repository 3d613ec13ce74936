import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { missingPackageLine, missingPackageOf } from "../../src/cli/missing-package.js";

describe("missing optional packages (issue 11 part 1)", () => {
  it("names the package of a real failed ESM import and a failed require, subpaths cut to the package", async () => {
    const esm = await import("@ml-chatops-test/not-installed/sub/path.js" as string).catch((e: unknown) => e);
    assert.equal((esm as { code?: string }).code, "ERR_MODULE_NOT_FOUND");
    assert.equal(missingPackageOf(esm), "@ml-chatops-test/not-installed");
    let cjs: unknown;
    try {
      createRequire(import.meta.url)("not-installed-pkg-ml-chatops/lib/x");
    } catch (e) {
      cjs = e;
    }
    assert.equal((cjs as { code?: string }).code, "MODULE_NOT_FOUND");
    assert.equal(missingPackageOf(cjs), "not-installed-pkg-ml-chatops");
  });

  it("a missing file of our own, or any other error, is not a missing package (it stays an internal error)", async () => {
    const own = await import("./no-such-file-here.js" as string).catch((e: unknown) => e);
    assert.equal((own as { code?: string }).code, "ERR_MODULE_NOT_FOUND");
    assert.equal(missingPackageOf(own), undefined);
    assert.equal(
      missingPackageOf(new Error("Cannot find package 'x'")),
      undefined,
      "no code: not Node's resolution error",
    );
    assert.equal(missingPackageOf("text"), undefined);
  });

  it("the line names what needs it and one install command for every package that goes with it", () => {
    assert.equal(
      missingPackageLine("the codebuild runner", "@aws-sdk/client-cloudwatch-logs", [
        "@aws-sdk/client-codebuild",
        "@aws-sdk/client-cloudwatch-logs",
      ]),
      "the codebuild runner needs @aws-sdk/client-cloudwatch-logs, which is not installed: npm install @aws-sdk/client-cloudwatch-logs @aws-sdk/client-codebuild",
    );
  });
});
