/**
 * A command or runner whose optional package is not installed fails with one line naming what
 * to install, never a stack trace: Node reports such an import as ERR_MODULE_NOT_FOUND ("Cannot
 * find package 'x' imported from …"), and CommonJS as MODULE_NOT_FOUND ("Cannot find module 'x'").
 */

/** The exit code of a command that cannot start because a package it needs is missing (README "Exit codes"). */
export const EXIT_SETUP = 2;

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * The npm package a failed import names, when the failure is "not installed"; undefined for any
 * other error (including a missing file of our own, which is a bug, not a setup problem).
 *
 * @example
 * missingPackageOf(await import("@aws-sdk/client-codebuild").catch((e) => e)); // "@aws-sdk/client-codebuild"
 */
export const missingPackageOf = (e: unknown): string | undefined => {
  if (typeof e !== "object" || e === null) return undefined;
  const { code, message } = e as { readonly code?: unknown; readonly message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return undefined;
  const named = /Cannot find (?:package|module) '([^']+)'/.exec(typeof message === "string" ? message : "")?.[1];
  if (named === undefined) return undefined;
  // "pkg/sub/path" → "pkg", "@scope/pkg/sub" → "@scope/pkg".
  const parts = named.split("/");
  const name = named.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
  return PACKAGE_NAME.test(name) ? name : undefined;
};

/**
 * The one line for a missing package: what needs it, and the install command (`also` lists the
 * packages that go with it, e.g. both AWS SDK clients of the codebuild runner).
 *
 * @example
 * missingPackageLine("the codebuild runner", "@aws-sdk/client-codebuild", ["@aws-sdk/client-cloudwatch-logs"]);
 * // "the codebuild runner needs @aws-sdk/client-codebuild, which is not installed: npm install @aws-sdk/client-codebuild @aws-sdk/client-cloudwatch-logs"
 */
export const missingPackageLine = (what: string, pkg: string, also: ReadonlyArray<string> = []): string =>
  `${what} needs ${pkg}, which is not installed: npm install ${[pkg, ...also.filter((p) => p !== pkg)].join(" ")}`;
