/** Helpers shared by the GitHub Actions runner's files: error mapping and decoding. */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import type * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";
import { rateLimited, resultInvalid, runNotFound, runRejected, runnerUnavailable } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";

/** The runner kind. @internal */
export const RUNNER = "github-actions";

/** @internal The HTTP status of an Octokit RequestError, if it looks like one. */
export const statusOf = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && typeof (e as { status?: unknown }).status === "number"
    ? (e as { status: number }).status
    : undefined;
/** @internal GitHub's error message (first line), else the error's. */
export const messageOf = (e: unknown): string => {
  const data =
    typeof e === "object" && e !== null
      ? (e as { response?: { data?: { message?: unknown } } }).response?.data
      : undefined;
  const m = typeof data?.message === "string" ? data.message : e instanceof Error ? e.message : String(e);
  return m.split("\n")[0] ?? m;
};

/** @internal Maps an Octokit failure of `operation` to a RunnerError by status. */
export const toRunnerError =
  (operation: string, id: string | undefined) =>
  (e: unknown): RunnerError => {
    const status = statusOf(e);
    const message = messageOf(e);
    const what = `GitHub answered ${status ?? "no response"} to ${operation}: ${message}`;
    if ((status === 403 || status === 429) && /rate limit/i.test(message)) return rateLimited(60_000);
    if (status === 404 && id !== undefined) return runNotFound(id);
    if (operation === "dispatch" && (status === 404 || status === 422)) return runRejected(what);
    return runnerUnavailable(RUNNER, what);
  };

/** @internal Decodes a payload, naming the first failing paths. */
export const decode = <A>(codec: t.Decoder<unknown, A>, what: string, u: unknown): E.Either<RunnerError, A> =>
  pipe(
    codec.decode(u),
    E.mapLeft((errs) => resultInvalid(`${what}: ${PathReporter.report(E.left(errs)).slice(0, 3).join("; ")}`)),
  );
