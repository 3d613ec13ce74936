/**
 * Scripted CodeBuild builds: each build walks CodeBuild's phase sequence, one step per
 * `pollsPerPhase` BatchGetBuilds calls, and ends in the scripted status. Its log lines are
 * released as the build progresses, into a CloudWatch-like stream read by GetLogEvents.
 */
import { randomUUID } from "node:crypto";

export const PHASES = [
  "SUBMITTED",
  "QUEUED",
  "PROVISIONING",
  "DOWNLOAD_SOURCE",
  "INSTALL",
  "PRE_BUILD",
  "BUILD",
  "POST_BUILD",
  "UPLOAD_ARTIFACTS",
  "FINALIZING",
  "COMPLETED",
] as const;
export type PhaseType = (typeof PHASES)[number];
export type FinalStatus = "SUCCEEDED" | "FAILED" | "FAULT" | "TIMED_OUT" | "STOPPED";

/** How one build behaves. Every field is optional; the default is a clean success. */
export type BuildScript = {
  readonly final?: FinalStatus;
  /** Where FAILED/FAULT/TIMED_OUT/STOPPED happen (defaults: BUILD, PROVISIONING, BUILD, BUILD). */
  readonly failingPhase?: PhaseType;
  /** BatchGetBuilds calls per phase step (default 1). */
  readonly pollsPerPhase?: number;
  /** The first N BatchGetBuilds list the new id under `buildsNotFound` (eventual consistency). */
  readonly notFoundPolls?: number;
  readonly logLines?: ReadonlyArray<string>;
  /** The first N GetLogEvents calls answer ResourceNotFoundException (stream not created yet). */
  readonly logsMissingCalls?: number;
  /** The build has no CloudWatch logs at all (`logs` carries no group or stream). */
  readonly logsDisabled?: boolean;
  /** Events per GetLogEvents page (default 10000). */
  readonly pageSize?: number;
  /** Every Nth GetLogEvents call with events pending returns an empty page with a new token. */
  readonly emptyPageEvery?: number;
  /** The last N lines reach CloudWatch only after the build completed, one GetLogEvents call later. */
  readonly lateLines?: number;
  /** What CodeBuild reports it checked out (default: the requested sourceVersion). */
  readonly resolvedSourceVersion?: string;
  /** Progress by (virtual) time instead of by polls: the build takes this long (needs the emulator's `clockMs`). */
  readonly durationMs?: number;
  /** Reported as `artifacts.location` (an S3 ARN such as `arn:aws:s3:::bucket/prefix`); default: no artifacts. */
  readonly artifactLocation?: string;
};

export type EnvVar = { readonly name: string; readonly value: string; readonly type?: string };

/** A build as the emulator tracks it. */
export type EmulatedBuild = {
  readonly id: string;
  readonly projectName: string;
  readonly buildNumber: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly script: BuildScript;
  readonly steps: ReadonlyArray<{ readonly phase: PhaseType; readonly status: string | undefined }>;
  readonly final: FinalStatus;
  readonly startSec: number;
  polls: number;
  /** BatchGetBuilds calls that listed this build under `buildsNotFound`. */
  misses: number;
  /** Set by StopBuild: the step index where the build was stopped. */
  stoppedAt: number | undefined;
  logCalls: number;
  logCallsAfterComplete: number;
  /** The emulator's clock and this build's start on it, for time-based progress. */
  readonly clockMs: (() => number) | undefined;
  readonly startMs: number;
};

const defaultFailingPhase: Record<Exclude<FinalStatus, "SUCCEEDED">, PhaseType> = {
  FAILED: "BUILD",
  FAULT: "PROVISIONING",
  TIMED_OUT: "BUILD",
  STOPPED: "BUILD",
};

/** The phases a build goes through and their final statuses. */
export const planSteps = (final: FinalStatus, failingPhase?: PhaseType): EmulatedBuild["steps"] => {
  if (final === "SUCCEEDED")
    return PHASES.map((phase) => ({ phase, status: phase === "COMPLETED" ? undefined : "SUCCEEDED" }));
  const at = failingPhase ?? defaultFailingPhase[final];
  const idx = PHASES.indexOf(at);
  const before = PHASES.slice(0, idx).map((phase) => ({ phase, status: "SUCCEEDED" }));
  // CodeBuild still runs POST_BUILD and attempts UPLOAD_ARTIFACTS after a BUILD failure.
  const after: ReadonlyArray<PhaseType> =
    final === "FAILED" && at === "BUILD" ? ["POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING"] : ["FINALIZING"];
  return [
    ...before,
    { phase: at, status: final },
    ...after.map((phase) => ({ phase, status: "SUCCEEDED" })),
    { phase: "COMPLETED" as const, status: undefined },
  ];
};

/** Creates a build for a StartBuild input. */
export const newBuild = (
  projectName: string,
  buildNumber: number,
  input: Readonly<Record<string, unknown>>,
  script: BuildScript,
  nowSec: number,
  clockMs?: () => number,
): EmulatedBuild => {
  const final = script.final ?? "SUCCEEDED";
  return {
    id: `${projectName}:${randomUUID()}`,
    projectName,
    buildNumber,
    input,
    script,
    steps: planSteps(final, script.failingPhase),
    final,
    startSec: nowSec,
    polls: 0,
    misses: 0,
    stoppedAt: undefined,
    logCalls: 0,
    logCallsAfterComplete: 0,
    clockMs,
    startMs: clockMs?.() ?? 0,
  };
};

/** The index of the step a build is in now. */
export const stepIndex = (b: EmulatedBuild): number => {
  const last = b.steps.length - 1;
  if (b.stoppedAt !== undefined) return last;
  const duration = b.script.durationMs;
  if (duration !== undefined && b.clockMs !== undefined) {
    const elapsed = b.clockMs() - b.startMs;
    return elapsed >= duration ? last : Math.min(last - 1, Math.floor((elapsed / duration) * last));
  }
  return Math.min(last, Math.floor(b.polls / (b.script.pollsPerPhase ?? 1)));
};

export const isComplete = (b: EmulatedBuild): boolean => stepIndex(b) === b.steps.length - 1;

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

export const logGroupOf = (b: EmulatedBuild): string => `/aws/codebuild/${b.projectName}`;
export const logStreamOf = (b: EmulatedBuild): string => b.id.slice(b.projectName.length + 1);

/** Renders a build in CodeBuild's JSON wire shape (timestamps as epoch seconds). */
export const renderBuild = (b: EmulatedBuild): Record<string, unknown> => {
  const at = stepIndex(b);
  const complete = isComplete(b);
  const stoppedSteps =
    b.stoppedAt === undefined
      ? b.steps
      : [
          ...b.steps.slice(0, b.stoppedAt),
          { phase: b.steps[b.stoppedAt]?.phase ?? "BUILD", status: "STOPPED" },
          { phase: "COMPLETED" as const, status: undefined },
        ];
  const shown = stoppedSteps.slice(0, (b.stoppedAt === undefined ? at : stoppedSteps.length - 1) + 1);
  const phases = shown.map((s, i) => {
    const start = b.startSec + i * 10;
    const done = i < shown.length - 1;
    return {
      phaseType: s.phase,
      ...(s.phase === "COMPLETED" ? {} : { phaseStatus: done ? s.status : "IN_PROGRESS" }),
      startTime: start,
      ...(done ? { endTime: start + 10, durationInSeconds: 10 } : {}),
      ...(done && s.status !== "SUCCEEDED" && s.status !== undefined
        ? {
            contexts: [
              {
                statusCode: s.status === "FAULT" ? "CLIENT_ERROR" : `COMMAND_EXECUTION_ERROR`,
                message: `Error while executing command: npm run experiment. Reason: exit status 1`,
              },
            ],
          }
        : {}),
    };
  });
  const final = b.stoppedAt !== undefined ? "STOPPED" : b.final;
  const env = (b.input["environmentVariablesOverride"] as ReadonlyArray<EnvVar> | undefined) ?? [];
  const stream = logStreamOf(b);
  return {
    id: b.id,
    arn: `arn:aws:codebuild:${REGION}:${ACCOUNT}:build/${b.id}`,
    buildNumber: b.buildNumber,
    startTime: b.startSec,
    ...(complete ? { endTime: b.startSec + phases.length * 10 } : {}),
    currentPhase: shown[shown.length - 1]?.phase ?? "SUBMITTED",
    buildStatus: complete ? final : "IN_PROGRESS",
    projectName: b.projectName,
    ...(typeof b.input["sourceVersion"] === "string" ? { sourceVersion: b.input["sourceVersion"] } : {}),
    ...(at >= 3
      ? { resolvedSourceVersion: b.script.resolvedSourceVersion ?? String(b.input["sourceVersion"] ?? "0".repeat(40)) }
      : {}),
    phases,
    environment: {
      type: "LINUX_CONTAINER",
      image: typeof b.input["imageOverride"] === "string" ? b.input["imageOverride"] : "aws/codebuild/standard:7.0",
      computeType:
        typeof b.input["computeTypeOverride"] === "string" ? b.input["computeTypeOverride"] : "BUILD_GENERAL1_SMALL",
      environmentVariables: env.map((v) => ({ name: v.name, value: v.value, type: v.type ?? "PLAINTEXT" })),
    },
    logs: b.script.logsDisabled
      ? { deepLink: "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEvent:group=null;stream=null" }
      : {
          groupName: logGroupOf(b),
          streamName: stream,
          deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}#logsV2:log-groups/log-group/${encodeURIComponent(logGroupOf(b))}/log-events/${stream}`,
          cloudWatchLogsArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupOf(b)}:log-stream:${stream}`,
        },
    timeoutInMinutes:
      typeof b.input["timeoutInMinutesOverride"] === "number" ? b.input["timeoutInMinutesOverride"] : 60,
    queuedTimeoutInMinutes: 480,
    buildComplete: complete,
    initiator: "ml-chatops-runner",
    ...(b.script.artifactLocation === undefined ? {} : { artifacts: { location: b.script.artifactLocation } }),
  };
};

/** How many log lines CloudWatch holds for this build right now. */
export const releasedLines = (b: EmulatedBuild): number => {
  const lines = b.script.logLines ?? [];
  const late = Math.min(b.script.lateLines ?? 0, lines.length);
  const onTime = lines.length - late;
  if (isComplete(b)) return b.logCallsAfterComplete > 1 ? lines.length : onTime;
  const last = b.steps.length - 1;
  return Math.floor((onTime * stepIndex(b)) / last);
};
