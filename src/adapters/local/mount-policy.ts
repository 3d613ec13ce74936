/**
 * Which host paths may be mounted read-only into the sandbox (SECURITY-CHECKLIST 77): besides
 * the form checked in `core/mount-path.ts`, nothing that holds or contains what PR code must not
 * read: the bot's HOME, its repository (the mirror every checkout comes from), the directory of
 * its runs, and any file a credential variable names (key files, kubeconfig, cloud credentials).
 */
import { homedir, tmpdir } from "node:os";
import { mountPathProblem, overlaps } from "../../core/mount-path.js";
import { credentialNames } from "./sandbox.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Variables that name a credential file or socket, whatever their value looks like. */
const FILE_VARIABLES =
  /^(?:GOOGLE_APPLICATION_CREDENTIALS|KUBECONFIG|SSH_AUTH_SOCK|AWS_(?:SHARED_CREDENTIALS_FILE|CONFIG_FILE|WEB_IDENTITY_TOKEN_FILE)|ARGO_(?:TOKEN|CA)_FILE|ML_CHATOPS_\w+_(?:FILE|PATH))$/;

/** What the host keeps that a mount must not expose. @internal */
export type HostSecrets = {
  readonly home: ReadonlyArray<string>;
  readonly repoPath: string;
  readonly runsDir: string;
  readonly keyFiles: ReadonlyArray<string>;
};

/**
 * The host's secret places, from the bot's environment and the runner's config.
 *
 * @example
 * hostSecrets({ HOME: "/home/bot", ARGO_TOKEN_FILE: "/run/argo/token" }, "/srv/repo", undefined);
 * // { home: ["/home/bot", …], repoPath: "/srv/repo", runsDir: "/tmp", keyFiles: ["/run/argo/token"] }
 * @internal */
export const hostSecrets = (env: Env, repoPath: string, tmpDir: string | undefined): HostSecrets => {
  const named = new Set([...credentialNames(env), ...Object.keys(env).filter((k) => FILE_VARIABLES.test(k))]);
  const keyFiles = [...named].map((k) => env[k] ?? "").filter((v) => v.startsWith("/") && !v.includes("\n"));
  const home = [env["HOME"], homedir()].filter((h): h is string => h !== undefined && h.startsWith("/") && h !== "/");
  return { home: [...new Set(home)], repoPath, runsDir: tmpDir ?? tmpdir(), keyFiles };
};

/**
 * Why `path` may not be mounted on this host, or undefined.
 *
 * @example
 * hostMountProblem("/home/bot/.local", secrets); // "must not be in or contain the bot's HOME (/home/bot)"
 * @internal */
export const hostMountProblem = (path: string, s: HostSecrets): string | undefined => {
  const form = mountPathProblem(path);
  if (form !== undefined) return form;
  const home = s.home.find((h) => overlaps(path, h));
  if (home !== undefined) return `must not be in or contain the bot's HOME (${home})`;
  if (overlaps(path, s.repoPath)) return `must not be in or contain the bot's repository (${s.repoPath})`;
  if (overlaps(path, s.runsDir)) return `must not be in or contain the runner's run directory (${s.runsDir})`;
  const key = s.keyFiles.find((k) => overlaps(path, k));
  if (key !== undefined) return `must not be in or contain a credential file the bot holds (${key})`;
  return undefined;
};

/**
 * The first refused mount of a run as one line naming its field, or undefined.
 *
 * @example
 * refusedMount([["runner.settings.mounts", []], ["experiments.train.mounts", ["/home/bot"]]], secrets);
 * // "experiments.train.mounts[0]: must not be in or contain the bot's HOME (/home/bot)"
 * @internal */
export const refusedMount = (
  lists: ReadonlyArray<readonly [string, ReadonlyArray<string>]>,
  s: HostSecrets,
): string | undefined => {
  for (const [field, mounts] of lists) {
    for (const [i, m] of mounts.entries()) {
      const problem = hostMountProblem(m, s);
      if (problem !== undefined) return `${field}[${i}]: ${problem}`;
    }
  }
  return undefined;
};
