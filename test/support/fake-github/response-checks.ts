/**
 * What the fake tolerates when it checks its own answers against GitHub's description, and why:
 * overlapping `oneOf` alternatives, the deviations of real GitHub from its description that tests
 * depend on, and 304s (declared ones must carry no body; undeclared ones are one such deviation).
 */
import type { Context, OpenAPIBackend } from "openapi-backend";

// Some GitHub schemas are `oneOf` alternatives that overlap (409 on contents is basic-error or a
// rule-violation error, and every basic error is both). Matching more than one alternative
// still means the body is a valid instance of one of them.
const isAmbiguousOneOf = (e: { keyword: string; params: unknown }): boolean =>
  e.keyword === "oneOf" && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas);

// Where real GitHub knowingly differs from its description, and tests depend on the real
// behaviour. Each entry names the operation and the JSON pointer that may deviate.
const KNOWN_DEVIATIONS: ReadonlyArray<{
  readonly operationId: string;
  readonly instancePath: string;
  readonly why: string;
}> = [
  {
    operationId: "pulls/get",
    instancePath: "/head/repo",
    why: "null when the fork was deleted; the spec says non-null",
  },
];

/** Whether every schema error of a response is one the fake knowingly tolerates. */
export const acceptable = (
  operationId: string,
  errors: ReadonlyArray<{ keyword: string; params: unknown; instancePath: string }>,
): boolean =>
  errors.every(
    (e) =>
      isAmbiguousOneOf(e) ||
      KNOWN_DEVIATIONS.some((d) => d.operationId === operationId && e.instancePath === d.instancePath),
  );

/** Whether the operation declares the "simple" 422 shape, whose errors are plain strings. */
export const declaresSimple422 = (c: Context): boolean => {
  const declared = JSON.stringify(c.operation.responses?.["422"] ?? null);
  return declared.includes("validation_failed_simple") || declared.includes("Validation Error Simple");
};

/**
 * GitHub answers `If-None-Match` on GET operations whose description lists no 304 (103 of its
 * 639 GET operations list one; issues/list-comments, repos/get and the permission read do not,
 * yet carry an ETag and honour it). A declared 304 must be what the description says: no content.
 * Returns the problem, if any, of a 304 the fake answers for `operationId`.
 */
export const notModifiedProblem = (api: OpenAPIBackend, operationId: string): string | undefined => {
  const declared = api.getOperation(operationId)?.responses?.["304"] as
    { readonly $ref?: string; readonly content?: unknown } | undefined;
  if (declared === undefined) return undefined;
  const ref = declared.$ref?.replace(/^#\/components\/responses\//, "");
  const components = (api.definition.components?.responses ?? {}) as Record<string, { content?: unknown }>;
  const resolved = ref === undefined ? declared : components[ref];
  if (resolved === undefined) return `${operationId} 304: the description's ${declared.$ref ?? "?"} is missing`;
  return resolved.content === undefined
    ? undefined
    : `${operationId} 304: the description gives the 304 a body, the fake sends none`;
};
