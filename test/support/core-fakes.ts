/**
 * Plain-object fakes of the core ports, for pipeline tests. They record every call so tests
 * can assert on what the pipeline did, and what it did not do.
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { forgeUnavailable, runnerUnavailable, type ForgeError, type RunnerError } from "../../src/core/errors.js";
import type { KeywordResult, PullRequest, Role, RunHandle, RunRequest, RunStatus, Sha } from "../../src/core/model.js";
import type { Clock, Experiment, Forge, Reporter, Runner } from "../../src/core/ports.js";
import type { Report } from "../../src/core/model.js";
import { fromKeywordResult } from "../../src/core/keyword-ranking.js";
import type { ExperimentResult } from "../../src/core/result.js";

export const SHA_A = "a".repeat(40) as Sha;
export const SHA_B = "b".repeat(40) as Sha;
export const PR = { owner: "octo", repo: "talks", number: 7 };
export const MAINTAINER = { login: "mai", id: 100 };
export const READER = { login: "reed", id: 200 };
export const BOT = { login: "ml-chatops[bot]", id: 999 };

export type ForgeCall = { readonly op: string; readonly args: ReadonlyArray<unknown> };

/** A forge with one pull request, a role table and a call log. */
export const createFakeForge = (
  opts: {
    readonly roles?: Readonly<Record<string, Role>>;
    readonly pr?: Partial<PullRequest>;
    readonly permissionError?: boolean;
    /** When the head was pushed; null = no record. Default: long before any comment. */
    readonly pushedAt?: string | null;
    readonly pushTimeError?: boolean;
    readonly reactError?: boolean;
  } = {},
) => {
  const calls: ForgeCall[] = [];
  const reacted = new Set<string>();
  const comments = new Map<string, string>();
  const state = {
    pr: {
      ...PR,
      headRef: "feature",
      headSha: SHA_A,
      state: "open",
      merged: false,
      draft: false,
      headRepoAvailable: true,
      ...opts.pr,
    } as PullRequest,
  };
  let nextId = 1;
  const record = (op: string, ...args: unknown[]) => calls.push({ op, args });
  const forge: Forge = {
    getPermission: (_repo, user) => {
      record("getPermission", user.login);
      if (opts.permissionError === true) return TE.left(forgeUnavailable("getPermission", new Error("502")));
      return TE.right(opts.roles?.[user.login] ?? "none");
    },
    getPullRequest: () => {
      record("getPullRequest");
      return TE.right(state.pr);
    },
    addLabel: (_pr, label) => {
      record("addLabel", label);
      return TE.right(undefined);
    },
    removeLabel: (_pr, label) => {
      record("removeLabel", label);
      return TE.right(undefined);
    },
    upsertComment: (_pr, marker, body) => {
      record("upsertComment", marker, body);
      comments.set(marker, body);
      return TE.right({ id: nextId++ });
    },
    findComment: (_pr, marker) => TE.right(O.fromNullable(comments.get(marker))),
    listComments: () =>
      TE.right([...comments.values()].map((body, i) => ({ id: i + 1, body, updatedAt: "2026-01-01T00:00:00Z" }))),
    headPushedAt: () => {
      record("headPushedAt");
      if (opts.pushTimeError === true) return TE.left(forgeUnavailable("headPushedAt", new Error("502")));
      return TE.right(O.fromNullable(opts.pushedAt === undefined ? "2000-01-01T00:00:00.000Z" : opts.pushedAt));
    },
    react: (_pr, commentId, reaction) => {
      record("react", commentId, reaction);
      if (opts.reactError === true) return TE.left(forgeUnavailable("react", new Error("502")));
      const key = `${commentId} ${reaction}`;
      const fresh = !reacted.has(key);
      reacted.add(key);
      return TE.right(fresh);
    },
    reply: (_pr, body) => {
      record("reply", body);
      return TE.right({ id: nextId++ });
    },
  };
  return {
    forge,
    calls,
    state,
    ops: () => calls.map((c) => c.op),
    replies: () => calls.filter((c) => c.op === "reply").map((c) => String(c.args[0])),
    reactions: () => calls.filter((c) => c.op === "react").map((c) => String(c.args[1])),
  };
};

/** A reporter that keeps every published report; `finals` are those of ended runs (not queued or running). */
export const createRecordingReporter = () => {
  const published: Report[] = [];
  const finals: Report[] = [];
  const reporter: Reporter = {
    publish: (r) => {
      published.push(r);
      if (r.status.state !== "queued" && r.status.state !== "running") finals.push(r);
      return TE.right({ id: published.length });
    },
  };
  return { reporter, published, finals };
};

/**
 * A runner whose statuses follow a script, one entry per `status` call; the last entry repeats.
 * `cancel` switches the run to `cancelled`.
 */
export const createScriptedRunner = (opts: {
  readonly statuses: ReadonlyArray<RunStatus>;
  /** A keyword result is handed back as the result contract's `keywords` ranking. */
  readonly output?: KeywordResult | ExperimentResult;
  readonly logs?: ReadonlyArray<string>;
  readonly startError?: RunnerError;
  readonly resultError?: RunnerError;
}) => {
  const started: RunRequest[] = [];
  const cancelled: string[] = [];
  const polls = new Map<string, number>();
  let n = 0;
  const runner: Runner = {
    kind: "fake",
    start: (req) => {
      if (opts.startError !== undefined) return TE.left(opts.startError);
      started.push(req);
      n += 1;
      const h: RunHandle = {
        runner: "fake",
        id: `run-${n}`,
        runKey: req.runKey,
        pinnedSha: req.pinnedSha,
        startedAt: "2026-01-01T00:00:00Z",
      };
      return TE.right(h);
    },
    status: (h) => {
      if (cancelled.includes(h.id)) return TE.right({ state: "cancelled", detail: "stopped" });
      const i = polls.get(h.id) ?? 0;
      polls.set(h.id, i + 1);
      const s = opts.statuses[Math.min(i, opts.statuses.length - 1)];
      return s === undefined ? TE.left(runnerUnavailable("fake", "no script")) : TE.right(s);
    },
    logs: (_h, cursor) => {
      const from = cursor === undefined ? 0 : Number(cursor);
      const lines = (opts.logs ?? []).slice(from);
      return TE.right({ lines, next: String(from + lines.length) });
    },
    result: () =>
      opts.resultError !== undefined
        ? TE.left(opts.resultError)
        : TE.right({
            output:
              opts.output === undefined
                ? fromKeywordResult({ documents: [] })
                : "documents" in opts.output
                  ? fromKeywordResult(opts.output)
                  : opts.output,
            logTail: opts.logs ?? [],
            timings: { startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:05Z", durationMs: 5000 },
          }),
    cancel: (h) => {
      cancelled.push(h.id);
      return TE.right(undefined);
    },
  };
  return { runner, started, cancelled };
};

/** A clock that advances by the slept time without waiting (yields to the event loop). */
export const createFakeClock = (startMs = Date.parse("2026-01-01T00:00:00Z")) => {
  let now = startMs;
  const clock: Clock = {
    now: () => new Date(now),
    sleep: (ms) => () =>
      new Promise<void>((resolve) => {
        now += ms;
        setImmediate(resolve);
      }),
  };
  return { clock, advance: (ms: number) => void (now += ms) };
};

/** An experiment that accepts `max_df` (a number in (0, 1]) and nothing else. */
export const fakeExperiment: Experiment = {
  id: "tfidf-keywords",
  params: [{ key: "max_df", description: "max document frequency", default: "0.5" }],
  parseParams: (args) => {
    for (const [k, v] of Object.entries(args)) {
      if (k !== "max_df") return E.left({ _tag: "InvalidParams", detail: `unknown parameter ${k}` });
      if (!(Number(v) > 0 && Number(v) <= 1))
        return E.left({ _tag: "InvalidParams", detail: `max_df must be in (0, 1], got ${v}` });
    }
    return E.right({ max_df: "0.5", ...args });
  },
  command: ["ml-chatops", "keywords", "--params-from-env", "--result-file=.ml-chatops/result.json"],
  paramEnv: (params) => ({ ML_CHATOPS_PARAM_MAX_DF: params["max_df"] ?? "0.5" }),
  resultPath: ".ml-chatops/result.json",
  metrics: {},
};

/** One document `d1` ranked with `terms`, as the result contract's `keywords` ranking. */
export const result = (terms: ReadonlyArray<string>): ExperimentResult =>
  fromKeywordResult({ documents: [{ id: "d1", keywords: terms.map((term, i) => ({ term, score: 1 - i / 10 })) }] });

export type { ForgeError };
