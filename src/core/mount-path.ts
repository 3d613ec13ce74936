/**
 * Host paths an experiment may have mounted read-only into the local runner's sandbox
 * (`experiments.<id>.mounts`, `runner.settings.mounts`): toolchains outside /usr. What can be
 * decided from the path alone is decided here (pure); the local runner adds what only the host
 * knows (HOME, the bot's repository, key files), see `adapters/local/mount-policy.ts`.
 */

/** Kernel and device trees: a fresh /proc and a minimal /dev are the sandbox's own. */
const SYSTEM_TREES: ReadonlyArray<string> = ["/proc", "/sys", "/dev"];

/**
 * True when `path` is `tree` or lies below it, or contains it (mounting `/home` shows every HOME).
 *
 * @example
 * overlaps("/home", "/home/bot"); // true
 * overlaps("/opt/conda", "/opt/conda-envs"); // false
 * @internal */
export const overlaps = (path: string, tree: string): boolean => {
  const within = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith("/") ? b : `${b}/`);
  return within(path, tree) || within(tree, path);
};

/**
 * Why `path` may not be mounted, or undefined when its form is acceptable: it must be absolute,
 * without `.`/`..`/empty segments or a trailing slash, not `/`, not in /proc, /sys or /dev.
 *
 * @example
 * mountPathProblem("/opt/conda"); // undefined
 * mountPathProblem("/opt/../etc"); // 'must be an absolute path without ".", ".." or empty segments (no trailing /), got "/opt/../etc"'
 * @internal */
export const mountPathProblem = (path: string): string | undefined => {
  const shown = JSON.stringify(path.slice(0, 120));
  if (path.includes("\u0000") || path.length > 1000)
    return `must be a path of at most 1000 characters without NUL, got ${shown}`;
  if (!path.startsWith("/")) return `must be an absolute path, got ${shown}`;
  if (path === "/") return "must not be / (the sandbox would see the whole host)";
  const segments = path.slice(1).split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".."))
    return `must be an absolute path without ".", ".." or empty segments (no trailing /), got ${shown}`;
  const tree = SYSTEM_TREES.find((t) => overlaps(path, t));
  if (tree !== undefined) return `must not be in or contain ${tree} (the sandbox has its own), got ${shown}`;
  return undefined;
};
