/**
 * The environment an experiment process gets: an allowlist, never the bot's credentials
 * (SECURITY-CHECKLIST 6, 7).
 */

/**
 * Variables every experiment gets when the parent has them.
 *
 * @example
 * BASE_ENV_ALLOWLIST.includes("PATH"); // true
 * @internal */
export const BASE_ENV_ALLOWLIST: ReadonlyArray<string> = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "NODE_ENV"];

// Credentials of the bot and its clouds, and variables that inject code into the child.
const FORBIDDEN_PREFIXES = ["GITHUB_", "GH_", "AWS_", "ACTIONS_", "CODEBUILD_", "ARGO_", "LD_", "DYLD_"];
const FORBIDDEN_WORDS = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PRIVATE_KEY", "CREDENTIAL", "API_KEY", "WEBHOOK"];
const FORBIDDEN_NAMES = ["NODE_OPTIONS", "BASH_ENV", "ENV", "PYTHONSTARTUP", "PYTHONPATH"];

/**
 * Why an environment variable name may not be passed to an experiment, or undefined when it may.
 *
 * @example
 * forbiddenEnvName("GITHUB_TOKEN"); // "GITHUB_TOKEN starts with GITHUB_ (credentials never reach PR code)"
 * forbiddenEnvName("OMP_NUM_THREADS"); // undefined
 * @internal */
export const forbiddenEnvName = (name: string): string | undefined => {
  const upper = name.toUpperCase();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `${JSON.stringify(name)} is not a valid variable name`;
  const prefix = FORBIDDEN_PREFIXES.find((p) => upper.startsWith(p));
  if (prefix !== undefined) return `${name} starts with ${prefix} (credentials never reach PR code)`;
  const word = FORBIDDEN_WORDS.find((w) => upper.includes(w));
  if (word !== undefined) return `${name} contains ${word} (credentials never reach PR code)`;
  if (FORBIDDEN_NAMES.includes(upper)) return `${name} can inject code into the experiment process`;
  return undefined;
};

/**
 * Picks the allow-listed variables out of `source`. Names that look like credentials are
 * dropped here too, so a bad allowlist can never leak them.
 *
 * @example
 * buildChildEnv({ PATH: "/bin", GITHUB_TOKEN: "x" }, []); // { PATH: "/bin" }
 * @internal */
export const buildChildEnv = (
  source: Readonly<Record<string, string | undefined>>,
  extra: ReadonlyArray<string>,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_ALLOWLIST, ...extra]) {
    const value = source[name];
    if (value !== undefined && forbiddenEnvName(name) === undefined) env[name] = value;
  }
  return { ...env, ...overrides };
};
