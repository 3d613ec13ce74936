/**
 * The domain model: io-ts codecs, each with the type derived from it under the same name.
 * Adapters decode vendor payloads into these; `core` only ever sees decoded values.
 */
import * as t from "io-ts";
import { ExperimentResult } from "./result.js";
import { ResultDiff } from "./comparison-model.js";

export * from "./comparison-model.js";

// ---------------------------------------------------------------------------
// identifiers

/** @internal */
export interface ShaBrand {
  readonly Sha: unique symbol;
}
/**
 * A full, lower-case, 40-hex git commit SHA. Short or upper-case SHAs are rejected on purpose:
 * an approval pins one exact commit (SECURITY-CHECKLIST 10, 14).
 *
 * @example
 * Sha.is("0123456789abcdef0123456789abcdef01234567"); // true
 */
export const Sha = t.brand(t.string, (s): s is t.Branded<string, ShaBrand> => /^[0-9a-f]{40}$/.test(s), "Sha");
export type Sha = t.TypeOf<typeof Sha>;

// ---------------------------------------------------------------------------
// people and permissions

/**
 * A repository role, as GitHub's `role_name` reports it, ordered from least to most.
 * `none` means no access at all.
 */
export const Role = t.keyof({ none: null, read: null, triage: null, write: null, maintain: null, admin: null });
export type Role = t.TypeOf<typeof Role>;

/** Roles in ascending order of power. @internal */
export const ROLE_ORDER: ReadonlyArray<Role> = ["none", "read", "triage", "write", "maintain", "admin"];

/** True when `role` is at least `required`. @internal */
export const hasRole = (role: Role, required: Role): boolean =>
  ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(required);

/** A user of the code host, identified by a stable numeric id (logins can be renamed). */
export const Actor = t.type({ login: t.string, id: t.number });
export type Actor = t.TypeOf<typeof Actor>;

// ---------------------------------------------------------------------------
// pull requests

/** An experiment id: lower-case letters, digits and dashes, starting with a letter. */
export const ExperimentId = t.refinement(t.string, (s) => /^[a-z][a-z0-9-]{0,63}$/.test(s), "ExperimentId");
export type ExperimentId = t.TypeOf<typeof ExperimentId>;

/** A repository and pull-request number, without any mutable state. */
export const RepoPullNumber = t.type({ owner: t.string, repo: t.string, number: t.number });
export type RepoPullNumber = t.TypeOf<typeof RepoPullNumber>;

/**
 * Identifies one pull request × experiment. A new command with the same run key supersedes the
 * previous run. It stays structured wherever it travels (handles, approvals, report state); the
 * text form {@link runKeyId} is only written into markers and ids, never parsed back.
 *
 * @example
 * const key: RunKey = toRunKey({ owner: "octo", repo: "kw", number: 12 }, "tfidf-keywords");
 * key.pr.number; // 12
 */
export const RunKey = t.readonly(t.type({ pr: RepoPullNumber, experiment: ExperimentId }));
export type RunKey = t.TypeOf<typeof RunKey>;

/**
 * Builds the run key of a pull request × experiment.
 *
 * @example
 * toRunKey({ owner: "octo", repo: "kw", number: 12 }, "tfidf-keywords").experiment; // "tfidf-keywords"
 * @internal */
export const toRunKey = (pr: RepoPullNumber, experimentId: string): RunKey => ({
  pr: { owner: pr.owner, repo: pr.repo, number: pr.number },
  experiment: experimentId,
});

/**
 * The one text form of a run key, `owner/repo#number:experiment`, for markers, map keys and ids
 * handed to a runner. Nothing reads a key back from it: code that needs the pull request or the
 * experiment takes them from the structured key.
 *
 * @example
 * runKeyId(toRunKey({ owner: "octo", repo: "kw", number: 12 }, "tfidf-keywords")); // "octo/kw#12:tfidf-keywords"
 * @internal */
export const runKeyId = (key: RunKey): string => `${key.pr.owner}/${key.pr.repo}#${key.pr.number}:${key.experiment}`;

/**
 * True when two run keys name the same pull request × experiment.
 *
 * @example
 * sameRunKey(handle.runKey, approval.runKey); // true for a run started from that approval
 * @internal */
export const sameRunKey = (a: RunKey, b: RunKey): boolean => runKeyId(a) === runKeyId(b);

/** A pull request pinned at one head commit. */
export const PullRequestRef = t.intersection([RepoPullNumber, t.type({ headRef: t.string, headSha: Sha })]);
export type PullRequestRef = t.TypeOf<typeof PullRequestRef>;

/** The state of a pull request as read from the forge at one moment. */
export const PullRequest = t.intersection([
  PullRequestRef,
  t.type({
    state: t.keyof({ open: null, closed: null }),
    merged: t.boolean,
    draft: t.boolean,
    /** False when the head repository (a fork) was deleted: its code can no longer be fetched. */
    headRepoAvailable: t.boolean,
  }),
  /** The repository the head branch lives in (a fork's, for fork pull requests), when known. */
  t.partial({ headRepo: t.type({ owner: t.string, repo: t.string }) }),
]);
export type PullRequest = t.TypeOf<typeof PullRequest>;

// ---------------------------------------------------------------------------
// commands

/** The sub-commands a comment can carry. @internal */
export const CommandName = t.keyof({ run: null, promote: null, cancel: null, help: null });
export type CommandName = t.TypeOf<typeof CommandName>;

/** Arguments of a command after grammar checks: allow-listed keys, printable bounded values. */
export const CommandArgs = t.readonly(t.record(t.string, t.string));
export type CommandArgs = t.TypeOf<typeof CommandArgs>;

/** A parsed command: name plus validated `key=value` arguments. @internal */
export const Command = t.type({ name: CommandName, args: CommandArgs, line: t.number });
export type Command = t.TypeOf<typeof Command>;

// ---------------------------------------------------------------------------
// approvals and runs

/**
 * Who approved what, and for which exact commit. Written before the label is added; consumed
 * once when the run starts (SECURITY-CHECKLIST 10, 16, 19).
 */
export const Approval = t.type({
  id: t.string,
  runKey: RunKey,
  experimentId: ExperimentId,
  pr: RepoPullNumber,
  pinnedSha: Sha,
  approver: Actor,
  role: Role,
  commentId: t.number,
  commentCreatedAt: t.string,
  approvedAt: t.string,
  command: Command,
  params: t.readonly(t.record(t.string, t.string)),
});
export type Approval = t.TypeOf<typeof Approval>;

/** The runner kinds we ship; a custom runner may use any other name. */
export const RunnerKind = t.string;
export type RunnerKind = t.TypeOf<typeof RunnerKind>;

/** What a runner needs to start one experiment at one commit. */
export const RunRequest = t.type({
  runKey: RunKey,
  experimentId: ExperimentId,
  params: t.readonly(t.record(t.string, t.string)),
  pinnedSha: Sha,
  pr: PullRequestRef,
  approvalId: t.string,
});
export type RunRequest = t.TypeOf<typeof RunRequest>;

/** A started run, as the runner identifies it. */
export const RunHandle = t.intersection([
  t.type({ runner: RunnerKind, id: t.string, runKey: RunKey, pinnedSha: Sha, startedAt: t.string }),
  t.partial({ url: t.string }),
]);
export type RunHandle = t.TypeOf<typeof RunHandle>;

/** Lifecycle states; the last four are terminal. */
export const RunState = t.keyof({
  queued: null,
  running: null,
  succeeded: null,
  failed: null,
  cancelled: null,
  errored: null,
});
export type RunState = t.TypeOf<typeof RunState>;

/** True for states after which a run never changes again. @internal */
export const isTerminal = (s: RunState): boolean => s !== "queued" && s !== "running";

/**
 * The status of a run. `failed` = the experiment itself failed; `errored` = the infrastructure
 * failed (runner fault, timeout, commit mismatch); `cancelled` = stopped on purpose.
 */
export const RunStatus = t.intersection([
  t.type({ state: RunState, detail: t.string }),
  t.partial({ phase: t.string }),
]);
export type RunStatus = t.TypeOf<typeof RunStatus>;

/** One keyword with its TF-IDF score. */
export const Keyword = t.type({ term: t.string, score: t.number });
export type Keyword = t.TypeOf<typeof Keyword>;

/** Ranked keywords of one document. */
export const DocumentKeywords = t.type({ id: t.string, keywords: t.readonlyArray(Keyword) });
export type DocumentKeywords = t.TypeOf<typeof DocumentKeywords>;

/**
 * The output of the keyword experiment, and the JSON `ml-chatops keywords` prints:
 * documents in input order, keywords ranked.
 */
export const KeywordResult = t.type({ documents: t.readonlyArray(DocumentKeywords) });
export type KeywordResult = t.TypeOf<typeof KeywordResult>;

/** Start, end and duration of a run, in ISO time and milliseconds. */
export const Timings = t.type({ startedAt: t.string, finishedAt: t.string, durationMs: t.number });
export type Timings = t.TypeOf<typeof Timings>;

/**
 * Where a runner keeps a run's files (images included): links to them (the runner's own pages,
 * never a public upload), a location such as `s3://bucket/prefix/` or a local path, and a note
 * (why it keeps none, or what the links hold). Images are never uploaded anywhere by ml-chatops.
 */
export const Artifacts = t.partial({
  url: t.string,
  links: t.readonlyArray(t.type({ label: t.string, url: t.string })),
  location: t.string,
  note: t.string,
});
export type Artifacts = t.TypeOf<typeof Artifacts>;

/** What a finished run produced: the result contract, the log tail, timings. */
export const RunResult = t.intersection([
  t.type({
    output: ExperimentResult,
    logTail: t.readonlyArray(t.string),
    timings: Timings,
  }),
  t.partial({ artifacts: Artifacts }),
]);
export type RunResult = t.TypeOf<typeof RunResult>;

// ---------------------------------------------------------------------------
// baseline comparison and report

/**
 * Provenance of a baseline: which run, with which parameters, who promoted it and when, and
 * whether `promote force=true` overrode the guard. Older files carry only the first four.
 */
export const BaselineMeta = t.intersection([
  t.type({ pr: RepoPullNumber, sha: Sha, promotedBy: Actor, promotedAt: t.string }),
  t.partial({ params: t.readonly(t.record(t.string, t.string)), forced: t.boolean, runId: t.string }),
]);
export type BaselineMeta = t.TypeOf<typeof BaselineMeta>;

/** A link shown in the report (run page, logs, check run…). */
export const ReportLink = t.type({ label: t.string, url: t.string });
export type ReportLink = t.TypeOf<typeof ReportLink>;

/** Everything the report shows; rendering to Markdown is a separate, pure step. */
export const Report = t.intersection([
  t.type({
    runKey: RunKey,
    experimentId: ExperimentId,
    pr: RepoPullNumber,
    pinnedSha: Sha,
    runner: RunnerKind,
    status: RunStatus,
    params: t.readonly(t.record(t.string, t.string)),
    logTail: t.readonlyArray(t.string),
    links: t.readonlyArray(ReportLink),
  }),
  t.partial({
    durationMs: t.number,
    result: ExperimentResult,
    diff: ResultDiff,
    /** Where the current best came from. */
    baselineMeta: BaselineMeta,
    /** The current best itself (its tables are shown beside this run's). */
    baselineResult: ExperimentResult,
    artifacts: Artifacts,
    /** Set when a newer command replaced this run. */
    supersededBy: t.string,
    /** Why there is no diff (no baseline yet, baseline unreadable…). */
    baselineNote: t.string,
    /** The run, so a detached run can be found again from its report. */
    handle: RunHandle,
    /** Sandbox settings of the experiment this runner does not apply (see `sandbox-note.ts`). */
    sandboxNote: t.string,
  }),
]);
export type Report = t.TypeOf<typeof Report>;
