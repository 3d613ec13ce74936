/**
 * When the runner next asks CodeBuild about a build: per-build polling state, the jittered backoff
 * between BatchGetBuilds calls, the longer waits after throttling, and the log lines that mean the
 * end is near (SECURITY-CHECKLIST 53).
 */
import { backoffDelay } from "./backoff.js";
import type { CodeBuildBuild } from "./build-status.js";
import type { ResolvedCodeBuildConfig } from "./config.js";

/** Per-build polling state, kept while this process follows the build. @internal */
export type Tracked = {
  nextPollAt: number;
  nextLogAt: number;
  polls: number;
  throttled: number;
  misses: number;
  last: CodeBuildBuild | undefined;
};

/** Phases that are short and always last: seeing one, polling returns to the initial rate. @internal */
export const NEAR_END_PHASES: ReadonlySet<string> = new Set(["FINALIZING"]);

/**
 * Log lines CodeBuild prints as a build nears its end (and our result markers): seeing one, the
 * runner polls BatchGetBuilds again soon, so a long poll interval does not delay noticing the end.
 *
 * @example
 * NEAR_END.test("[Container] Phase complete: BUILD State: SUCCEEDED"); // true
 * @internal */
export const NEAR_END = /Phase complete: (BUILD|POST_BUILD|UPLOAD_ARTIFACTS) State:|^ML_CHATOPS_RESULT /;

/** After this many throttled polls in a row the error is returned instead of waiting again. @internal */
export const MAX_THROTTLED_WAITS = 50;

/**
 * The polling schedule of one runner: the state of each build it follows and the delays.
 *
 * @example
 * const schedule = createPollSchedule(config.poll, Math.random);
 * const t = schedule.trackedOf(build.id);
 * t.nextPollAt = Date.now() + schedule.pollDelay(t);
 * @internal */
export type PollSchedule = {
  /** The state of a build, created on first use. */
  readonly trackedOf: (id: string) => Tracked;
  /** The delay before the next scheduled poll, growing with the polls made so far. */
  readonly pollDelay: (t: Tracked) => number;
  /** The delay after a throttled poll: past the longest poll delay, growing with each throttle. */
  readonly throttleDelay: (t: Tracked) => number;
  /** The delay before asking again for a build CodeBuild does not list yet (check 54). */
  readonly notFoundDelay: (t: Tracked) => number;
};

/**
 * Creates the schedule; `random` returns [0, 1) and only ever shortens a delay.
 *
 * @example
 * createPollSchedule(resolveCodeBuildConfig({ projectName: "p" }).poll, () => 0).pollDelay(t);
 * @internal */
export const createPollSchedule = (poll: ResolvedCodeBuildConfig["poll"], random: () => number): PollSchedule => {
  const tracked = new Map<string, Tracked>();
  return {
    trackedOf: (id) => {
      const t = tracked.get(id) ?? { nextPollAt: 0, nextLogAt: 0, polls: 0, throttled: 0, misses: 0, last: undefined };
      tracked.set(id, t);
      return t;
    },
    pollDelay: (t) => backoffDelay(t.polls, poll, random),
    throttleDelay: (t) =>
      Math.min(poll.throttleMaxMs, poll.maxMs + t.throttled * poll.throttleStepMs) * (1 - poll.jitter * random()),
    // A build is normally listed within seconds of StartBuild: these waits stay short.
    notFoundDelay: (t) => backoffDelay(t.misses - 1, { ...poll, maxMs: poll.initialMs * 4 }, random),
  };
};
