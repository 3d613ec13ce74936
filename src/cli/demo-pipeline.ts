/**
 * The demo's world: an in-memory forge with one pull request, the real pipeline, the in-process
 * runner doing the real keyword extraction, and the bundled baseline. Nothing leaves the process.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as TE from "fp-ts/TaskEither";
import { createInProcessRunner } from "../adapters/local/index.js";
import type { BaselineFile } from "../adapters/local/index.js";
import { createMemoryForge } from "../adapters/memory/index.js";
import type { MemoryForge } from "../adapters/memory/index.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../adapters/memory/index.js";
import type { MemoryBaseline } from "../adapters/memory/index.js";
import {
  createCommentReporter,
  createPipeline,
  DEFAULT_PIPELINE_CONFIG,
  describeError,
  experimentFailed,
  type PostedComment,
  type Report,
  type Reporter,
  type Sha,
} from "../index.js";
import { createTfidfKeywordsExperiment, fromKeywordResult } from "../nlp/index.js";
import type { Tokenize } from "../nlp/index.js";
import { computeKeywords } from "./demo-baseline.js";

/** The demo pull request. */
export const DEMO_PR = { owner: "demo", repo: "talk-keywords", number: 1 } as const;
/** The identity the demo bot acts as. */
export const DEMO_BOT = { login: "ml-chatops[bot]", id: 9001 } as const;
/** The maintainer who comments; the demo repository gives them the write role. */
export const DEMO_MAINTAINER = { login: "maintainer", id: 101 } as const;
/** The demo PR's head commit. */
export const DEMO_HEAD_SHA = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e" as Sha;
/** Where the corpus sits inside the (imaginary) checkout. */
export const DEMO_CORPUS = "examples/data/sample-talks.jsonl";

/** What the demo needs from outside: the tokenizer, the corpus, the baseline and what to print. */
export type DemoInput = {
  /** Loads the tokenizer; called only when the run starts (a refused command loads nothing). */
  readonly tokenizer: TE.TaskEither<string, Tokenize>;
  readonly corpusText: string;
  readonly baseline: BaselineFile;
  /** Command arguments, e.g. `{ max_df: "0.4" }`, written into the comment. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly progress: (line: string) => void;
  readonly runLog?: ((line: string) => void) | undefined;
};

/** What the demo produced. */
export type DemoOutput = {
  readonly report: Report;
  readonly markdown: string;
  readonly commentId: number;
  readonly forge: MemoryForge;
};

const short = (sha: string): string => sha.slice(0, 7);
const oneLine = (text: string): string => {
  const flat = text
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
};

/**
 * Runs comment → approval → label → run → report on the in-memory forge.
 *
 * @example
 * const out = await runDemoPipeline({ tokenizer, corpusText, baseline, params: [["max_df", "0.4"]], progress: console.error });
 */
export const runDemoPipeline = async (input: DemoInput): Promise<E.Either<string, DemoOutput>> => {
  const forge = createMemoryForge({
    bot: DEMO_BOT,
    repos: [
      {
        owner: DEMO_PR.owner,
        repo: DEMO_PR.repo,
        collaborators: { [DEMO_MAINTAINER.login]: "write" },
        pulls: [{ number: DEMO_PR.number, headSha: DEMO_HEAD_SHA, headRef: "tune-keywords" }],
      },
    ],
  });
  const runner = createInProcessRunner(
    { onLog: input.runLog },
    {
      kind: "local",
      run: (req, { log }) =>
        pipe(
          input.tokenizer,
          TE.mapError((why) => experimentFailed(why, null)),
          TE.flatMap((tokenize) => {
            log(`tfidf-keywords on ${DEMO_CORPUS} at ${short(req.pinnedSha)} with ${JSON.stringify(req.params)}`);
            const result = computeKeywords(tokenize, input.corpusText, DEMO_CORPUS, req.params);
            if (E.isRight(result)) log(`${result.right.documents.length} documents done`);
            return TE.fromEither(
              E.isLeft(result) ? E.left(experimentFailed(result.left, null)) : E.right(fromKeywordResult(result.right)),
            );
          }),
        ),
    },
  );
  // The report comment, as the reporter last published it: the demo prints that comment's body.
  let posted: PostedComment | undefined;
  const comments = createCommentReporter(forge);
  const reporter: Reporter = {
    publish: (report) =>
      pipe(
        comments.publish(report),
        TE.tap((p) => TE.fromIO(() => void (posted = p))),
      ),
  };
  const seeded: Record<string, MemoryBaseline> = {};
  for (const [id, entry] of Object.entries(input.baseline)) seeded[id] = { result: entry.result, meta: entry.meta };
  const pipeline = createPipeline(
    {
      forge,
      runner,
      experiments: [createTfidfKeywordsExperiment({ corpusPath: DEMO_CORPUS })],
      baseline: createMemoryBaselineStore(seeded),
      approvals: createMemoryApprovalStore(),
      ledger: createMemoryRunLedger(),
      reporter,
    },
    { botActorId: DEMO_BOT.id, pollIntervalMs: 20 },
  );

  const body = ["/experiment run", ...input.params.map(([k, v]) => `${k}=${v}`)].join(" ");
  const comment = forge.addComment(DEMO_PR, DEMO_MAINTAINER, body);
  input.progress(
    `[1/4] comment received from @${DEMO_MAINTAINER.login} on ${DEMO_PR.owner}/${DEMO_PR.repo}#${DEMO_PR.number}: ${body}`,
  );
  const approved = await pipeline.onComment({
    pr: DEMO_PR,
    comment: { id: comment.id, body, author: DEMO_MAINTAINER, createdAt: comment.createdAt },
  })();
  if (E.isLeft(approved)) return E.left(`handling the comment failed: ${describeError(approved.left)}`);
  if (approved.right._tag !== "Approved") {
    const reply =
      forge
        .comments(DEMO_PR)
        .filter((c) => c.author.id === DEMO_BOT.id)
        .pop()?.body ?? "";
    const why = approved.right._tag === "Handled" ? approved.right.command : approved.right.reason;
    return E.left(
      `the bot did not approve the command (${approved.right._tag}: ${why})${reply === "" ? "" : `; it replied: ${oneLine(reply)}`}`,
    );
  }
  const label = DEFAULT_PIPELINE_CONFIG.label;
  input.progress(
    `[2/4] approved for ${short(approved.right.approval.pinnedSha)}; label ${label} added by @${DEMO_BOT.login}`,
  );

  input.progress(`[3/4] label event: running tfidf-keywords at ${short(DEMO_HEAD_SHA)} on the in-process runner`);
  const labelled = await pipeline.onLabel({ pr: DEMO_PR, label, sender: DEMO_BOT })();
  if (E.isLeft(labelled)) return E.left(`handling the label failed: ${describeError(labelled.left)}`);
  if (labelled.right._tag !== "Reported") {
    const why = labelled.right._tag === "Detached" ? "the run was detached" : labelled.right.reason;
    return E.left(`the run did not report (${labelled.right._tag}: ${why})`);
  }
  const report = labelled.right.report;
  const published = forge.comments(DEMO_PR).find((c) => c.author.id === DEMO_BOT.id && c.id === posted?.id);
  if (published === undefined) return E.left("the report comment was not published");
  input.progress(`[4/4] report published as comment #${published.id}: ${report.status.state}`);
  return E.right({ report, markdown: published.body, commentId: published.id, forge });
};
