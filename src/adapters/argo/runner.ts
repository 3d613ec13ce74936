/**
 * The Argo Workflows runner: submits one Workflow per approved run through argo-server's REST API,
 * follows it, streams its logs, reads its result parameter and stops it on request.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type * as t from "io-ts";
import { resultInvalid, runNotFound, runRejected, runnerUnavailable, rateLimited } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";
import { parseExperimentResult, type ExperimentResult } from "../../core/result.js";
import { describeDecodeErrors } from "../../core/baseline-entry.js";
import type { RunHandle, RunRequest, RunResult, RunStatus } from "../../core/model.js";
import type { Clock, LogPage, Logger, Runner } from "../../core/ports.js";
import { workflowArtifacts, workflowUiUrl } from "./artifact-links.js";
import { ArgoWorkflow } from "./codecs.js";
import { resolveArgoConfig } from "./config.js";
import { argoRequest } from "./http.js";
import type { ArgoFetch, HttpDeps, HttpFailure, HttpOk, HttpRequest } from "./http.js";
import { parseLogStream } from "./logs.js";
import { isDonePhase, toRunStatus } from "./status.js";
import { RESULT_GLOBAL, RESULT_PARAMETER, buildWorkflow } from "./workflow.js";
import { encodeJobSpec, type JobFor } from "../../core/job-spec.js";

/** What the Argo runner needs from its caller. */
export type ArgoRunnerDeps = {
  /** `globalThis.fetch`, or a fetch that trusts a custom CA (see `createCaFetch`). */
  readonly fetch: ArgoFetch;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** The job `ml-chatops exec` runs in the container, sent as ML_CHATOPS_JOB; without it none is sent. */
  readonly job?: JobFor | undefined;
};

const RUNNER = "argo";
const NOOP = (): void => undefined;
const SILENT: Logger = { debug: NOOP, info: NOOP, warn: NOOP, error: NOOP };
const REAL_CLOCK: Clock = {
  now: () => new Date(),
  sleep: (ms) => () => new Promise((resolve) => setTimeout(resolve, ms)),
};
const PARAM_KEY = /^[a-z][a-z0-9_-]{0,31}$/;
// Control characters and Argo's template braces are refused before anything is submitted.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/;
const TEMPLATE = /\{\{|\}\}/;
const MAX_VALUE_LENGTH = 256;

const toRunnerError =
  (operation: string, name: string | undefined) =>
  (f: HttpFailure): RunnerError => {
    if (f.kind === "network") return runnerUnavailable(RUNNER, f.cause);
    const what = `argo-server answered ${f.status} to ${operation}: ${f.message}`;
    if (f.status === 404 && name !== undefined) return runNotFound(name);
    if (f.status === 429) return rateLimited(f.retryAfterMs ?? 30_000);
    if (f.status === 401) return runnerUnavailable(RUNNER, `${what} (check the bearer token)`);
    if (f.status === 403) return runnerUnavailable(RUNNER, `${what} (check the service account's RBAC)`);
    if (operation === "submit" && (f.status === 400 || f.status === 422)) return runRejected(what);
    return runnerUnavailable(RUNNER, what);
  };

const decodeJson = <A>(codec: t.Decoder<unknown, A>, what: string, text: string): E.Either<RunnerError, A> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => resultInvalid(`${what}: not JSON`),
    ),
    E.flatMap((u) =>
      pipe(
        codec.decode(u),
        // Never PathReporter here: it serialises the whole answer, and deep hostile JSON overflows it.
        E.mapLeft((errs) => resultInvalid(`${what}: ${describeDecodeErrors(errs)}`)),
      ),
    ),
  );

/** Why a parameter value cannot go into a Workflow, or undefined when it can. */
const valueFault = (v: string): string | undefined => {
  if (v.length > MAX_VALUE_LENGTH) return `value is ${v.length} characters, at most ${MAX_VALUE_LENGTH}`;
  if (TEMPLATE.test(v)) return "value holds {{ or }}, which Argo would expand as a template expression";
  const ch = INVISIBLE.exec(v)?.[0];
  if (ch !== undefined)
    return `value holds the control or invisible character U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return undefined;
};

const checkParams = (req: RunRequest): E.Either<RunnerError, RunRequest> => {
  for (const [k, v] of Object.entries(req.params)) {
    if (!PARAM_KEY.test(k)) return E.left(runRejected(`parameter name ${JSON.stringify(k)} is not allowed`));
    const why = valueFault(v);
    if (why !== undefined) return E.left(runRejected(`parameter ${k}: ${why}`));
  }
  return E.right(req);
};

/**
 * Creates a Runner that drives Argo Workflows through argo-server.
 *
 * @example
 * const runner = createArgoRunner(
 *   { fetch: globalThis.fetch },
 *   { baseUrl: "https://argo-server.argo:2746", namespace: "ml", image: "ghcr.io/octo/kw:1", token },
 * );
 * const handle = await runner.start(request)();
 */
export const createArgoRunner = (deps: ArgoRunnerDeps, config: unknown): Runner => {
  const c = resolveArgoConfig(config);
  const logger = deps.logger ?? SILENT;
  const clock = deps.clock ?? REAL_CLOCK;
  const http: HttpDeps = {
    fetch: deps.fetch,
    clock,
    logger,
    baseUrl: c.baseUrl,
    token: c.token,
    maxAttempts: c.maxAttempts,
    backoffMs: c.backoffMs,
  };
  const tails = new Map<string, Array<string>>();
  const wfPath = (name: string): string =>
    `/api/v1/workflows/${encodeURIComponent(c.namespace)}/${encodeURIComponent(name)}`;
  const call = (operation: string, name: string | undefined, req: HttpRequest): TE.TaskEither<RunnerError, HttpOk> =>
    pipe(argoRequest(http, req), TE.mapError(toRunnerError(operation, name)));
  const getWorkflow = (name: string): TE.TaskEither<RunnerError, ArgoWorkflow> =>
    pipe(
      call("get workflow", name, { method: "GET", path: wfPath(name), retryNotFound: true }),
      TE.flatMap((r) => TE.fromEither(decodeJson(ArgoWorkflow, `workflow ${name}`, r.text))),
    );
  const toHandle = (req: RunRequest, name: string): RunHandle => ({
    runner: RUNNER,
    id: name,
    runKey: req.runKey,
    pinnedSha: req.pinnedSha,
    startedAt: clock.now().toISOString(),
    url: workflowUiUrl(c.uiBaseUrl, c.namespace, name),
  });

  const start = (req: RunRequest): TE.TaskEither<RunnerError, RunHandle> =>
    pipe(
      TE.fromEither(checkParams(req)),
      TE.flatMap((r) => {
        const job = deps.job?.(r);
        if (job === undefined) return TE.right(buildWorkflow(r, c));
        return E.isLeft(job)
          ? TE.left(runRejected(`the job of ${r.experimentId}: ${job.left}`))
          : TE.right(buildWorkflow(r, c, encodeJobSpec(job.right)));
      }),
      TE.flatMap((workflow) =>
        pipe(
          argoRequest(http, {
            method: "POST",
            path: `/api/v1/workflows/${encodeURIComponent(c.namespace)}`,
            body: { namespace: c.namespace, workflow },
          }),
          TE.map((r): string | undefined => r.text),
          // A retried submit of the same approval finds its own Workflow: that is success (check 59).
          TE.orElse((f) =>
            f.kind === "status" && f.status === 409 && workflow.metadata.name !== undefined
              ? TE.right<HttpFailure, string | undefined>(undefined)
              : TE.left(f),
          ),
          TE.mapError(toRunnerError("submit", undefined)),
          TE.flatMap((text) =>
            text === undefined
              ? TE.right(workflow.metadata.name ?? "")
              : TE.fromEither(
                  pipe(
                    decodeJson(ArgoWorkflow, "created workflow", text),
                    E.map((wf) => wf.metadata.name),
                  ),
                ),
          ),
        ),
      ),
      TE.map((name) => toHandle(req, name)),
      TE.tap((h) =>
        TE.fromIO(() => logger.info("argo workflow submitted", { name: h.id, runKey: h.runKey, sha: h.pinnedSha })),
      ),
    );

  const status = (h: RunHandle): TE.TaskEither<RunnerError, RunStatus> => pipe(getWorkflow(h.id), TE.map(toRunStatus));

  const logs = (h: RunHandle, cursor: string | undefined): TE.TaskEither<RunnerError, LogPage> =>
    pipe(
      call("read logs", h.id, {
        method: "GET",
        path: `${wfPath(h.id)}/log`,
        query: { "logOptions.container": "main" },
        retryNotFound: true,
      }),
      TE.flatMap((r) =>
        TE.fromEither(
          pipe(
            parseLogStream(r.text),
            E.mapLeft((m) => runnerUnavailable(RUNNER, `logs of ${h.id}: ${m}`)),
          ),
        ),
      ),
      TE.map((all) => {
        const from = Math.min(Number(cursor ?? "0") || 0, all.length);
        const fresh = all.slice(from).map((l) => l.content);
        for (const line of fresh) logger.info(line, { runner: RUNNER, workflow: h.id });
        const tail = [...(tails.get(h.id) ?? []), ...fresh].slice(-c.logTailLines);
        tails.set(h.id, tail);
        return { lines: fresh, next: String(all.length) };
      }),
    );

  const readResult = (wf: ArgoWorkflow): E.Either<RunnerError, ExperimentResult> => {
    const fromNodes = Object.values(wf.status?.nodes ?? {}).flatMap((n) => n.outputs?.parameters ?? []);
    const param =
      (wf.status?.outputs?.parameters ?? []).find((p) => p.name === RESULT_GLOBAL) ??
      fromNodes.find((p) => p.name === RESULT_PARAMETER);
    if (param?.value === undefined)
      return E.left(resultInvalid(`workflow ${wf.metadata.name} has no '${RESULT_PARAMETER}' output`));
    if (param.value.length > c.maxResultChars)
      return E.left(resultInvalid(`result of ${wf.metadata.name} exceeds ${c.maxResultChars} characters`));
    return pipe(
      parseExperimentResult(param.value),
      E.mapLeft((why) => resultInvalid(`result of ${wf.metadata.name}: ${why}`)),
    );
  };

  const result = (h: RunHandle): TE.TaskEither<RunnerError, RunResult> =>
    pipe(
      getWorkflow(h.id),
      TE.flatMap((wf) =>
        wf.status?.phase === "Succeeded"
          ? TE.right(wf)
          : TE.left(resultInvalid(`workflow ${h.id} has not succeeded (phase ${wf.status?.phase || "unknown"})`)),
      ),
      TE.bindTo("wf"),
      TE.bind("output", ({ wf }) => TE.fromEither(readResult(wf))),
      TE.bind("logTail", () =>
        (tails.get(h.id) ?? []).length > 0
          ? TE.right(tails.get(h.id) ?? [])
          : pipe(
              logs(h, undefined),
              TE.map(() => tails.get(h.id) ?? []),
              TE.orElse(() => TE.right<RunnerError, ReadonlyArray<string>>(["(logs unavailable)"])),
            ),
      ),
      TE.map(({ wf, output, logTail }) => {
        const startedAt = wf.status?.startedAt ?? h.startedAt;
        const finishedAt = wf.status?.finishedAt ?? clock.now().toISOString();
        const durationMs = Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) || 0;
        const artifacts = workflowArtifacts(wf, {
          uiBaseUrl: c.uiBaseUrl,
          namespace: c.namespace,
          declared: c.outputArtifacts.length,
        });
        return { output, logTail, timings: { startedAt, finishedAt, durationMs }, artifacts };
      }),
    );

  const cancel = (h: RunHandle): TE.TaskEither<RunnerError, void> => {
    const done = pipe(
      getWorkflow(h.id),
      TE.map((wf) => isDonePhase(wf.status?.phase ?? "")),
    );
    const body =
      c.cancelMode === "stop"
        ? { name: h.id, namespace: c.namespace, message: "cancelled by ml-chatops" }
        : { name: h.id, namespace: c.namespace };
    const put = pipe(
      argoRequest(http, { method: "PUT", path: `${wfPath(h.id)}/${c.cancelMode}`, body }),
      TE.map(() => undefined),
      // A Workflow that finished between our check and the PUT refuses to stop: that is fine.
      TE.orElse((f) =>
        f.kind === "status" && [400, 409, 412].includes(f.status)
          ? pipe(
              done,
              TE.flatMap((isDone) => (isDone ? TE.right(undefined) : TE.left(toRunnerError("cancel", h.id)(f)))),
            )
          : TE.left(toRunnerError("cancel", h.id)(f)),
      ),
    );
    return pipe(
      done,
      TE.flatMap((isDone) => (isDone ? TE.right(undefined) : put)),
      TE.tap(() => TE.fromIO(() => logger.info("argo workflow cancelled", { name: h.id, mode: c.cancelMode }))),
    );
  };

  return { kind: RUNNER, start, status, logs, result, cancel };
};
