/**
 * `.github/ml-chatops.yml`: read from the default branch only (never from the PR, whose author
 * could otherwise lower the required role), decoded by a codec, merged over defaults. A bad file
 * is one error naming the field (and the line, for YAML syntax).
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { PathReporter } from "io-ts/PathReporter";
import { parseDocument } from "yaml";
import type { ForgeError } from "../../core/errors.js";
import { Role } from "../../core/model.js";
import { resolvePipelineConfig, type PipelineConfig } from "../../core/pipeline-config.js";
import { fromOctokitError, statusOf } from "./errors.js";
import type { GitHubClient } from "./octokit.js";

/** The file's codec; every field optional. */
export const RepoConfigFile = t.partial({
  trigger: t.string,
  label: t.string,
  requiredRole: t.partial({ run: Role, promote: Role, cancel: Role, help: Role }),
  defaultExperiment: t.string,
  /** When GitHub has no record of the head's push: refuse (default; approvers then name the commit with `sha=`) or allow. */
  unknownPushTime: t.keyof({ refuse: null, allow: null }),
  runner: t.intersection([t.type({ kind: t.string }), t.partial({ settings: t.UnknownRecord })]),
  experiment: t.partial({ command: t.array(t.string), corpusPath: t.string, params: t.record(t.string, t.string) }),
  allowEdits: t.boolean,
  allowedBotIds: t.array(t.number),
  maxCommentAgeHours: t.number,
  baseline: t.partial({ path: t.string, commitTo: t.keyof({ "pr-branch": null, "default-branch": null }) }),
  checkRun: t.boolean,
  /** Optional allow-lists on top of the required role. */
  allow: t.partial({ users: t.array(t.string), teams: t.array(t.string) }),
});
export type RepoConfigFile = t.TypeOf<typeof RepoConfigFile>;

/** The repository's settings after merging over the defaults. */
export type RepoConfig = {
  readonly pipeline: PipelineConfig;
  readonly runner: { readonly kind: string; readonly settings: Readonly<Record<string, unknown>> };
  readonly experiment: RepoConfigFile["experiment"] & object;
  readonly events: { readonly allowEdits: boolean; readonly allowedBotIds: ReadonlyArray<number>; readonly maxCommentAgeMs: number };
  readonly baseline: { readonly path: string; readonly commitTo: "pr-branch" | "default-branch" };
  readonly checkRun: boolean;
  readonly allow: { readonly users: ReadonlyArray<string>; readonly teams: ReadonlyArray<string> };
};

export type RepoConfigError = ForgeError | { readonly _tag: "RepoConfigInvalid"; readonly detail: string };

export const REPO_CONFIG_PATH = ".github/ml-chatops.yml";

const KNOWN = new Set(Object.keys(RepoConfigFile.props));

/**
 * Parses and merges the file's text. Left: one line naming the bad field.
 *
 * @example
 * parseRepoConfig("label: ml-chatops:go\nrequiredRole:\n  run: maintain\n"); // Right({ pipeline: { label: "ml-chatops:go", … }, … })
 */
export const parseRepoConfig = (text: string): E.Either<string, RepoConfig> => {
  const doc = parseDocument(text);
  const syntax = doc.errors[0];
  if (syntax !== undefined) return E.left(`${REPO_CONFIG_PATH}: ${syntax.message.split("\n")[0] ?? "invalid YAML"}`);
  const json: unknown = doc.toJS() ?? {};
  if (typeof json !== "object" || json === null || Array.isArray(json)) return E.left(`${REPO_CONFIG_PATH}: the top level must be a mapping`);
  const unknown = Object.keys(json).find((k) => !KNOWN.has(k));
  if (unknown !== undefined) return E.left(`${REPO_CONFIG_PATH}: unknown field \`${unknown}\` (known: ${[...KNOWN].join(", ")})`);
  return pipe(
    RepoConfigFile.decode(json),
    E.mapLeft((errs) => `${REPO_CONFIG_PATH}: ${PathReporter.report(E.left(errs))[0] ?? "invalid"}`),
    E.flatMap((f) => {
      try {
        const pipelineConfig = resolvePipelineConfig({
          ...(f.trigger === undefined ? {} : { trigger: f.trigger }),
          ...(f.label === undefined ? {} : { label: f.label }),
          ...(f.defaultExperiment === undefined ? {} : { defaultExperiment: f.defaultExperiment }),
          ...(f.requiredRole === undefined ? {} : { requiredRole: f.requiredRole }),
          ...(f.unknownPushTime === undefined ? {} : { unknownPushTime: f.unknownPushTime }),
        });
        return E.right<string, RepoConfig>({
          pipeline: pipelineConfig,
          runner: { kind: f.runner?.kind ?? "local", settings: f.runner?.settings ?? {} },
          experiment: f.experiment ?? {},
          events: { allowEdits: f.allowEdits ?? false, allowedBotIds: f.allowedBotIds ?? [], maxCommentAgeMs: (f.maxCommentAgeHours ?? 24) * 3_600_000 },
          baseline: { path: f.baseline?.path ?? ".ml-chatops/baseline.json", commitTo: f.baseline?.commitTo ?? "default-branch" },
          checkRun: f.checkRun ?? true,
          allow: { users: f.allow?.users ?? [], teams: f.allow?.teams ?? [] },
        });
      } catch (e) {
        return E.left(`${REPO_CONFIG_PATH}: ${e instanceof Error ? e.message.replace(/^ml-chatops: /, "") : String(e)}`);
      }
    }),
  );
};

/** The settings when the repository has no config file. */
export const DEFAULT_REPO_CONFIG: RepoConfig = E.getOrElseW((e: string) => {
  throw new Error(e);
})(parseRepoConfig("{}"));

/**
 * Reads `.github/ml-chatops.yml` from the default branch (a missing file means defaults).
 *
 * @example
 * const config = await loadRepoConfig({ octokit }, { owner: "o", repo: "r" })();
 */
export const loadRepoConfig = (deps: { readonly octokit: GitHubClient }, repo: { readonly owner: string; readonly repo: string }): TE.TaskEither<RepoConfigError, RepoConfig> =>
  pipe(
    TE.tryCatch(() => deps.octokit.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.repo }), fromOctokitError("repoConfig", `repository ${repo.owner}/${repo.repo}`)),
    TE.flatMap((r) =>
      TE.tryCatch(
        async (): Promise<string | undefined> => {
          try {
            const res = await deps.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: repo.owner, repo: repo.repo, path: REPO_CONFIG_PATH, ref: r.data.default_branch });
            const data = res.data;
            return !Array.isArray(data) && data.type === "file" && "content" in data ? Buffer.from(data.content, "base64").toString("utf8") : "";
          } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
          }
        },
        fromOctokitError("repoConfig", REPO_CONFIG_PATH),
      ),
    ),
    TE.flatMap((text): TE.TaskEither<RepoConfigError, RepoConfig> =>
      text === undefined ? TE.right(DEFAULT_REPO_CONFIG) : pipe(parseRepoConfig(text), E.mapLeft((detail) => ({ _tag: "RepoConfigInvalid" as const, detail })), TE.fromEither),
    ),
  );
