/**
 * `.github/ml-chatops.yml`: read from the default branch only (never from the PR, whose author
 * could otherwise lower the required role), decoded by a codec, merged over defaults. A bad file
 * is one error naming the field (and the line, for YAML syntax).
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { parseDocument } from "yaml";
import type { ForgeError } from "../../core/errors.js";
import { decodeExperimentSpecs, type ExperimentSpec } from "../../core/experiment-spec.js";
import { Role } from "../../core/model.js";
import { resolvePipelineConfig, type PipelineConfig } from "../../core/pipeline-config.js";
import { createContentsCache, type ContentsCache } from "./contents-cache.js";
import { reportErrors } from "./decode.js";
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
  /** The built-in tfidf-keywords' corpus; its former `command` and `params` are refused (see `experiments`). */
  experiment: t.UnknownRecord,
  /** Declared experiments, decoded by `decodeExperimentSpecs` (one error line naming the field). */
  experiments: t.unknown,
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
  /** Settings of the built-in experiment (used when no `experiments:` are declared). */
  readonly experiment: { readonly corpusPath?: string | undefined };
  /** Declared experiments by id; undefined when the file declares none (the built-in `tfidf-keywords` runs). */
  readonly experiments: Readonly<Record<string, ExperimentSpec>> | undefined;
  readonly events: {
    readonly allowEdits: boolean;
    readonly allowedBotIds: ReadonlyArray<number>;
    readonly maxCommentAgeMs: number;
  };
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
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return E.left(`${REPO_CONFIG_PATH}: the top level must be a mapping`);
  const unknown = Object.keys(json).find((k) => !KNOWN.has(k));
  if (unknown !== undefined)
    return E.left(`${REPO_CONFIG_PATH}: unknown field \`${unknown}\` (known: ${[...KNOWN].join(", ")})`);
  return pipe(
    RepoConfigFile.decode(json),
    // Not PathReporter: it serialises the whole value, and a deeply nested file overflows it.
    E.mapLeft((errs) => `${REPO_CONFIG_PATH}: ${reportErrors(errs, 1)}`),
    E.bindTo("f"),
    E.bind("declared", ({ f }) => decodeDeclared(f)),
    E.bind("builtin", ({ f }) => decodeBuiltin(f.experiment)),
    E.bind("defaultExperiment", ({ f, declared }) => pickDefault(f.defaultExperiment, declared)),
    E.flatMap(({ f, declared, builtin, defaultExperiment }) => {
      try {
        const pipelineConfig = resolvePipelineConfig({
          ...(f.trigger === undefined ? {} : { trigger: f.trigger }),
          ...(f.label === undefined ? {} : { label: f.label }),
          defaultExperiment,
          ...(f.requiredRole === undefined ? {} : { requiredRole: f.requiredRole }),
          ...(f.unknownPushTime === undefined ? {} : { unknownPushTime: f.unknownPushTime }),
        });
        return E.right<string, RepoConfig>({
          pipeline: pipelineConfig,
          runner: { kind: f.runner?.kind ?? "local", settings: f.runner?.settings ?? {} },
          experiment: builtin,
          experiments: declared,
          events: {
            allowEdits: f.allowEdits ?? false,
            allowedBotIds: f.allowedBotIds ?? [],
            maxCommentAgeMs: (f.maxCommentAgeHours ?? 24) * 3_600_000,
          },
          baseline: {
            path: f.baseline?.path ?? ".ml-chatops/baseline.json",
            commitTo: f.baseline?.commitTo ?? "default-branch",
          },
          checkRun: f.checkRun ?? true,
          allow: { users: f.allow?.users ?? [], teams: f.allow?.teams ?? [] },
        });
      } catch (e) {
        return E.left(
          `${REPO_CONFIG_PATH}: ${e instanceof Error ? e.message.replace(/^ml-chatops: /, "") : String(e)}`,
        );
      }
    }),
  );
};

const BUILTIN_ID = "tfidf-keywords";

/** `experiments:` decoded, each error one line naming the field; undefined when absent. */
const decodeDeclared = (f: RepoConfigFile): E.Either<string, Readonly<Record<string, ExperimentSpec>> | undefined> =>
  f.experiments === undefined || f.experiments === null
    ? E.right(undefined)
    : pipe(
        decodeExperimentSpecs(f.experiments),
        E.mapLeft((why) => `${REPO_CONFIG_PATH}: ${why}`),
      );

/**
 * The built-in experiment's settings. Earlier versions accepted `experiment.command` and
 * `experiment.params` and silently ignored them; now they are refused, pointing to `experiments:`.
 */
const decodeBuiltin = (
  e: Readonly<Record<string, unknown>> | undefined,
): E.Either<string, { readonly corpusPath?: string }> => {
  if (e === undefined) return E.right({});
  for (const key of Object.keys(e)) {
    if (key === "command" || key === "params") {
      return E.left(
        `${REPO_CONFIG_PATH}: experiment.${key} is not read; declare your command and its parameters under experiments: (see the README, "Your own experiment")`,
      );
    }
    if (key !== "corpusPath")
      return E.left(`${REPO_CONFIG_PATH}: experiment.${key}: unknown field (known: corpusPath)`);
  }
  const corpus = e["corpusPath"];
  if (corpus === undefined) return E.right({});
  return typeof corpus === "string" && corpus.length > 0
    ? E.right({ corpusPath: corpus })
    : E.left(`${REPO_CONFIG_PATH}: experiment.corpusPath: expected a path, got ${typeof corpus}`);
};

/** The experiment a comment without `experiment=` runs: named, the only declared one, or the built-in. */
const pickDefault = (
  named: string | undefined,
  declared: Readonly<Record<string, ExperimentSpec>> | undefined,
): E.Either<string, string> => {
  const ids = declared === undefined ? [BUILTIN_ID] : Object.keys(declared);
  if (named !== undefined) {
    return ids.includes(named)
      ? E.right(named)
      : E.left(
          `${REPO_CONFIG_PATH}: defaultExperiment: ${JSON.stringify(named.slice(0, 64))} is not declared (declared: ${ids.join(", ")})`,
        );
  }
  const only = ids.length === 1 ? ids[0] : undefined;
  return only !== undefined
    ? E.right(only)
    : E.left(
        `${REPO_CONFIG_PATH}: defaultExperiment: required when several experiments are declared (one of ${ids.join(", ")})`,
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
export const loadRepoConfig = (
  deps: { readonly octokit: GitHubClient },
  repo: { readonly owner: string; readonly repo: string },
): TE.TaskEither<RepoConfigError, RepoConfig> => readRepoConfig(createContentsCache(deps.octokit), repo);

/**
 * `loadRepoConfig` through a contents cache the caller keeps (a long-lived bot keeps one, so an
 * unchanged file is a 304).
 *
 * @example
 * const contents = createContentsCache(octokit);
 * const config = await readRepoConfig(contents, { owner: "o", repo: "r" })();
 * @internal */
export const readRepoConfig = (
  contents: ContentsCache,
  repo: { readonly owner: string; readonly repo: string },
): TE.TaskEither<RepoConfigError, RepoConfig> =>
  pipe(
    // No ref: the contents API reads the default branch itself.
    contents.read(repo, REPO_CONFIG_PATH, undefined, "repoConfig"),
    TE.flatMap((file): TE.TaskEither<RepoConfigError, RepoConfig> =>
      O.isNone(file)
        ? TE.right(DEFAULT_REPO_CONFIG)
        : pipe(
            parseRepoConfig(file.value._tag === "File" ? file.value.text : ""),
            E.mapLeft((detail) => ({ _tag: "RepoConfigInvalid" as const, detail })),
            TE.fromEither,
          ),
    ),
  );
