/**
 * Benchmark (issue 5 item 6): follow a simulated 10-minute CodeBuild build with the real runner,
 * the core's follower and the real AWS SDK against the local emulator, on a virtual clock.
 * Prints how many BatchGetBuilds / GetLogEvents calls it took and how long after the build ended
 * the runner noticed. Targets: at most 40 BatchGetBuilds, noticed within 15 s.
 *
 *   npx tsx scripts/bench/codebuild-poll.ts [--minutes 10]
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { createCodeBuildRunner } from "../../src/adapters/codebuild/index.js";
import { encodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import { createMemoryBaselineStore, createMemoryRunLedger } from "../../src/adapters/memory/index.js";
import { toRunKey, type RunRequest, type Sha } from "../../src/core/model.js";
import type { Clock, Logger, Runner } from "../../src/core/ports.js";
import { createRunFollower } from "../../src/core/run-follower.js";
import { createEmulatorClients, destroyClients, startAwsEmulator } from "../../test/support/aws-emulator/index.js";

// The SDK warns that its 2027 releases need Node 22; that is noise here, other warnings are not.
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (!`${w.name} ${w.message}`.includes("NodeVersionSupportWarning"))
    process.stderr.write(`${w.name}: ${w.message}\n`);
});

const minutes = Number(process.argv[process.argv.indexOf("--minutes") + 1] ?? 10) || 10;
const durationMs = minutes * 60_000;
let now = Date.parse("2026-11-27T12:00:00Z");
const clock: Clock = { now: () => new Date(now), sleep: (ms) => async () => void (now += ms) };
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

// A CodeBuild-like log: phase lines, progress, the result markers near the end of BUILD.
const phaseLines = (p: string, n: number) => [
  `[Container] Entering phase ${p}`,
  ...Array.from({ length: n }, (_, i) => `${p.toLowerCase()} step ${i + 1}`),
  `[Container] Phase complete: ${p} State: SUCCEEDED`,
];
const lines = [
  ...phaseLines("INSTALL", 20),
  ...phaseLines("PRE_BUILD", 5),
  ...phaseLines("BUILD", 150),
  ...encodeResultMarkers(JSON.stringify({ documents: [{ id: "t1", keywords: [{ term: "bench", score: 1 }] }] })),
  ...phaseLines("POST_BUILD", 2),
  ...phaseLines("UPLOAD_ARTIFACTS", 1),
];

const scenario = async (logsDisabled: boolean): Promise<boolean> => {
  const t0 = now;
  const aws = await startAwsEmulator({ clockMs: () => now });
  const clients = createEmulatorClients(aws.endpoint);
  const runner = createCodeBuildRunner({ ...clients, logger: quiet, clock }, { projectName: "ml-chatops" });
  let noticedAt: number | undefined;
  const watched: Runner = {
    ...runner,
    status: (h) =>
      pipe(
        runner.status(h),
        TE.tap((s) => TE.fromIO(() => void (noticedAt ??= s.state === "succeeded" ? now : undefined))),
      ),
  };
  const follow = createRunFollower({
    runner: watched,
    baseline: createMemoryBaselineStore(),
    ledger: createMemoryRunLedger(),
    reporter: { publish: () => TE.right({ id: 1 }) },
    logger: quiet,
    clock,
    deadlineMs: runner.deadlineMs,
    pollIntervalMs: 2_000,
    logTailLines: 20,
  });
  aws.scriptNextBuild({ durationMs, logLines: lines, logsDisabled });
  const sha = "0123456789abcdef0123456789abcdef01234567" as Sha;
  const req: RunRequest = {
    runKey: toRunKey({ owner: "o", repo: "r", number: 1 }, "tfidf-keywords"),
    experimentId: "tfidf-keywords",
    params: {},
    pinnedSha: sha,
    pr: { owner: "o", repo: "r", number: 1, headRef: "b", headSha: sha },
    approvalId: "bench",
  };
  const started = await runner.start(req)();
  if (started._tag === "Left") throw new Error(JSON.stringify(started.left));
  const report = await follow(started.right, { pr: req.pr, experimentId: req.experimentId, params: {} })();
  const count = (op: string) => aws.exchanges.filter((e) => e.operation === op).length;
  const endedAt = t0 + durationMs;
  const state = report._tag === "Right" ? report.right.status.state : "error";
  const batch = count("BatchGetBuilds");
  const noticeS = noticedAt === undefined ? NaN : (noticedAt - endedAt) / 1000;
  process.stdout.write(
    [
      `codebuild follow, simulated ${minutes}-minute build, ${logsDisabled ? "CloudWatch logs off (no end-of-build hints)" : "with CloudWatch logs"} (virtual clock, follower tick 2 s):`,
      `  final state            ${state}${logsDisabled ? " (expected: no log, so no result)" : ""}`,
      `  BatchGetBuilds calls   ${batch}   (target <= ${4 * minutes})`,
      `  GetLogEvents calls     ${count("GetLogEvents")}`,
      `  noticed after the end  ${noticeS.toFixed(1)} s   (target <= 15 s)`,
      "",
    ].join("\n"),
  );
  destroyClients(clients);
  await aws.close();
  return logsDisabled || state === "succeeded";
};

const main = async (): Promise<void> => {
  const withLogs = await scenario(false);
  const withoutLogs = await scenario(true);
  process.exitCode = withLogs && withoutLogs ? 0 : 1;
};

void main();
