import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createMemoryForge } from "../../../src/adapters/memory/index.js";
import type { MemoryForge } from "../../../src/adapters/memory/index.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../../src/core/memory-stores.js";
import type { Sha } from "../../../src/core/model.js";
import { createPipeline } from "../../../src/core/pipeline.js";
import type { Pipeline } from "../../../src/core/pipeline.js";
import { createCommentReporter } from "../../../src/core/report/reporter.js";
import { createTfidfKeywordsExperiment } from "../../../src/nlp/experiment.js";
import type { Harness } from "./support.js";
import { harness, logWithResult, PR, SHA } from "./support.js";

const BOT = { login: "ml-chatops[bot]", id: 900 };
const MAINTAINER = { login: "mai", id: 5 };
const SHA_B = "b".repeat(40) as Sha;

const ok = async <A>(te: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) assert.fail(`expected Right, got ${JSON.stringify(r.left)}`);
  return r.right;
};

describe("the pipeline end to end on the CodeBuild runner (memory forge, emulator, real SDK)", () => {
  let h: Harness;
  let forge: MemoryForge;
  let pipeline: Pipeline;
  const approve = (body = "/experiment run max_df=0.4") => {
    const c = forge.addComment(PR, MAINTAINER, body);
    return ok(pipeline.onComment({ pr: PR, comment: { id: c.id, body, author: MAINTAINER, createdAt: c.createdAt } }));
  };

  before(async () => {
    h = await harness();
    forge = createMemoryForge({
      bot: BOT,
      repos: [{ ...PR, collaborators: { mai: "maintain" }, pulls: [{ number: PR.number, headSha: SHA }] }],
    });
    pipeline = createPipeline(
      {
        forge,
        runner: h.runner,
        experiments: [createTfidfKeywordsExperiment({ corpusPath: "examples/data/sample-talks.jsonl" })],
        baseline: createMemoryBaselineStore(),
        approvals: createMemoryApprovalStore(),
        ledger: createMemoryRunLedger(),
        reporter: createCommentReporter(forge),
        clock: h.clock.clock,
      },
      { botActorId: BOT.id, pollIntervalMs: 2_000, deadlineMs: h.runner.deadlineMs },
    );
  });
  after(() => h.close());

  it("comment -> label -> CodeBuild at the pinned SHA -> one report comment with the keywords", async () => {
    assert.equal((await approve())._tag, "Approved");
    h.aws.scriptNextBuild({ logLines: logWithResult() });
    const out = await ok(pipeline.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }));
    assert.equal(out._tag, "Reported");
    const sent = h.aws.requestsOf("StartBuild").at(-1)!;
    assert.equal(sent["sourceVersion"], SHA, "check 11: the pinned SHA, never a ref");
    const env = sent["environmentVariablesOverride"] as ReadonlyArray<{ name: string; value: string; type: string }>;
    assert.deepEqual(
      env.find((v) => v.name === "ML_CHATOPS_PARAM_MAX_DF"),
      { name: "ML_CHATOPS_PARAM_MAX_DF", value: "0.4", type: "PLAINTEXT" },
    );
    const bodies = forge
      .comments(PR)
      .filter((c) => c.author.id === BOT.id)
      .map((c) => c.body);
    assert.ok(
      bodies.some((b) => b.includes("tfidf") && b.includes("keyword")),
      "the report shows the keywords",
    );
  });

  it("check 61: a push after a detached start cancels the build (StopBuild) and revokes the run", async () => {
    await approve();
    h.aws.scriptNextBuild({ pollsPerPhase: 1000 });
    const out = await ok(pipeline.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true }));
    assert.equal(out._tag, "Detached");
    if (out._tag !== "Detached") return;
    const stopsBefore = h.aws.requestsOf("StopBuild").length;
    forge.push(PR, SHA_B);
    await ok(pipeline.onPush({ pr: PR, headSha: SHA_B }));
    const stops = h.aws.requestsOf("StopBuild").slice(stopsBefore);
    assert.deepEqual(stops, [{ id: out.handle.id }]);
    const s = await h.pollUntil(out.handle, (x) => x.state !== "running" && x.state !== "queued", 50);
    assert.ok(s._tag === "Right" && s.right.state === "cancelled");
  });
});
