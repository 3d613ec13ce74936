/**
 * Issue 10 item 4 on CodeBuild: the report links to the build's console page and to the S3
 * folder (and result object) where the build keeps its files, as an s3:// URI plus S3 console
 * links, never a public URL. Driven through the AWS emulator (wire protocol, real SDK) and the
 * core's follower; the assertions are on the rendered report's link lines. A hostile artifact
 * location from the service answer cannot break out of the Markdown (SECURITY-CHECKLIST 65, 66).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderReport } from "../../../src/core/report/render.js";
import { renderReportComment } from "../../../src/core/ledger/report-comment.js";
import type { Report } from "../../../src/core/model.js";
import type { Harness } from "./support.js";
import { harness, logWithResult, request, RESULT } from "./support.js";

const BUCKET = "ml-chatops-artifacts";
const PATH = "ml-chatops-result.json";
const PLAIN_LOG = [
  "[Container] 2026/11/27 12:00:05 Entering phase BUILD",
  "wrote ml-chatops-result.json",
  "[Container] 2026/11/27 12:00:09 Phase complete: BUILD State: SUCCEEDED",
];

const factLine = (r: Report, name: string): string | undefined =>
  renderReport(r)
    .split("\n")
    .find((l) => l.startsWith(`- **${name}:**`));

describe("CodeBuild runner: where the build keeps its artifacts, in the report (issue 10 item 4)", () => {
  let s3h: Harness;
  let plain: Harness;
  before(async () => {
    s3h = await harness({ resultArtifact: { path: PATH } }, 3, { s3: true });
    plain = await harness();
  });
  after(async () => {
    await s3h.close();
    await plain.close();
  });

  it("result read from S3: Links has the build's console page; Artifacts has the s3:// folder, the S3 console folder and the result object", async () => {
    const prefix = "results/ml-chatops:41/out";
    s3h.aws.putObject(
      BUCKET,
      `${prefix}/${PATH}`,
      JSON.stringify({ ...RESULT, images: [{ title: "ROC", path: "out/roc.png" }] }),
    );
    s3h.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: `arn:aws:s3:::${BUCKET}/${prefix}` });
    const report = await s3h.run(request({ approvalId: "links-s3" }));
    assert.equal(report.status.state, "succeeded", report.status.detail);
    const id = report.handle?.id ?? "";
    assert.match(id, /^ml-chatops:[0-9a-f-]{36}$/);
    assert.equal(
      factLine(report, "Links"),
      `- **Links:** [run](<https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/ml-chatops/build/${encodeURIComponent(id)}/?region=us-east-1>)`,
    );
    assert.equal(
      factLine(report, "Artifacts"),
      "- **Artifacts:** `s3://ml-chatops-artifacts/results/ml-chatops:41/out/` · " +
        "[S3 folder](<https://s3.console.aws.amazon.com/s3/buckets/ml-chatops-artifacts?region=us-east-1&prefix=results%2Fml-chatops%3A41%2Fout%2F>) · " +
        "[result object](<https://s3.console.aws.amazon.com/s3/object/ml-chatops-artifacts?region=us-east-1&prefix=results%2Fml-chatops%3A41%2Fout%2Fml-chatops-result.json>) · " +
        "in the build's own bucket, for AWS sign-in; nothing is public",
    );
    // The comment as the ledger writes it: its own marker and state line first, then the report.
    const body = renderReportComment(report);
    assert.ok(!body.includes("keeps no artifacts"), "the S3 run is not said to keep none");
    // Images are named, never uploaded: the images line points at the same place.
    assert.match(
      body,
      /\*\*Images:\*\* ROC \(out\/roc\.png\)\. Not uploaded anywhere; where the runner keeps them: `s3:\/\/ml-chatops-artifacts\/results\/ml-chatops:41\/out\/`/,
    );
  });

  it("result from log markers, S3 artifacts configured on the project: the folder is linked, no result object", async () => {
    plain.aws.scriptNextBuild({ logLines: logWithResult(), artifactLocation: `arn:aws:s3:::${BUCKET}` });
    const report = await plain.run(request({ approvalId: "links-markers" }));
    assert.equal(report.status.state, "succeeded", report.status.detail);
    assert.equal(
      factLine(report, "Artifacts"),
      "- **Artifacts:** `s3://ml-chatops-artifacts/` · [S3 folder](<https://s3.console.aws.amazon.com/s3/buckets/ml-chatops-artifacts?region=us-east-1&prefix=>) · in the build's own bucket, for AWS sign-in; nothing is public",
    );
  });

  it("a project with no artifacts says so (and still links the build page under Links)", async () => {
    plain.aws.scriptNextBuild({ logLines: logWithResult() });
    const report = await plain.run(request({ approvalId: "links-none" }));
    assert.equal(report.status.state, "succeeded", report.status.detail);
    assert.equal(
      factLine(report, "Artifacts"),
      "- **Artifacts:** this CodeBuild project keeps no S3 artifacts (artifacts type NO\\_ARTIFACTS); the build page has its logs",
    );
    assert.match(
      factLine(report, "Links") ?? "",
      /^- \*\*Links:\*\* \[run\]\(<https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/codebuild\//,
    );
  });

  it("a hostile key prefix in the service's answer stays inside its code span and its encoded links (checks 65, 66)", async () => {
    const evil = "out/`x` ](javascript:alert(1)) <!-- ml-chatops:report y --> @admin #1 <img src=x>";
    plain.aws.scriptNextBuild({ logLines: logWithResult(), artifactLocation: `arn:aws:s3:::${BUCKET}/${evil}` });
    const report = await plain.run(request({ approvalId: "links-evil" }));
    assert.equal(report.status.state, "succeeded", report.status.detail);
    const line = factLine(report, "Artifacts") ?? "";
    const [code, folder, ...rest] = line.replace("- **Artifacts:** ", "").split(" · ");
    // One code span whose fence (two backticks) is longer than the prefix's backtick runs.
    assert.equal(
      code,
      "`` s3://ml-chatops-artifacts/out/`x` ](javascript:alert(1)) <\u200b!-- ml-chatops:report y --\u200b> @admin #1 <img src=x>/ ``",
    );
    // Every byte of the prefix is percent-encoded inside the link: no ), >, space, < or backtick.
    assert.equal(
      folder,
      `[S3 folder](<https://s3.console.aws.amazon.com/s3/buckets/ml-chatops-artifacts?region=us-east-1&prefix=${encodeURIComponent(`${evil}/`).replace(/\(/g, "%28").replace(/\)/g, "%29")}>)`,
    );
    assert.doesNotMatch(folder ?? "", /prefix=[^>]*[\s<`)]/);
    assert.equal(rest.length, 1);
    // The comment as the ledger writes it: its own marker and state line first, then the report.
    const body = renderReportComment(report);
    assert.equal(
      body.split("\n").filter((l) => /^\s*<!--\s*ml-chatops:report/.test(l)).length,
      1,
      "no second report marker",
    );
  });
});
