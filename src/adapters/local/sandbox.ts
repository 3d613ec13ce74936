/**
 * Deciding how PR code runs (SECURITY-CHECKLIST 76-79): in a bubblewrap sandbox by default;
 * unsandboxed only when the config says `isolation: none`, or when no sandbox can be made and
 * this process holds no credential. With credentials and no sandbox, nothing runs.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, sep } from "node:path";
import type { RootEntry, SandboxPlan } from "./sandbox-argv.js";
import { DATA_ENTRIES, ETC_ENTRIES, buildBwrapArgs } from "./sandbox-argv.js";

type Env = Readonly<Record<string, string | undefined>>;

/** How a run is isolated, as the runner reports it. @internal */
export type Isolation =
  { readonly kind: "bubblewrap"; readonly bwrap: string } | { readonly kind: "none"; readonly why: string };

const CREDENTIAL_WORDS = [
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "PRIVATE_KEY",
  "CREDENTIAL",
  "API_KEY",
  "ACCESS_KEY",
];
const CREDENTIAL_NAMES = new Set([
  "AWS_PROFILE",
  "AWS_ROLE_ARN",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "ARGO_TOKEN",
  "KUBECONFIG",
  "SSH_AUTH_SOCK",
]);

/**
 * The names of the variables in `env` that hold a credential (a non-empty value whose name
 * looks like a token, key, secret or password), sorted.
 *
 * @example
 * credentialNames({ ML_CHATOPS_STATE_SECRET: "x", PATH: "/bin", GITHUB_TOKEN: "" }); // ["ML_CHATOPS_STATE_SECRET"]
 */
export const credentialNames = (env: Env): ReadonlyArray<string> =>
  Object.entries(env)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([name]) => name)
    .filter(
      (name) =>
        CREDENTIAL_NAMES.has(name.toUpperCase()) || CREDENTIAL_WORDS.some((w) => name.toUpperCase().includes(w)),
    )
    .sort();

/** Finds `program` as the spawn of a child with `PATH` would; undefined when it is not there. */
const resolveProgram = (program: string, path: string | undefined): string | undefined => {
  const runnable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes(sep)) return runnable(program) ? program : undefined;
  return (path ?? "")
    .split(delimiter)
    .filter((d) => d !== "")
    .map((d) => join(d, program))
    .find(runnable);
};

/** Runs bwrap once with the real flags and `true`: Right when namespaces can be made here. */
const probe = (bwrap: string, plan: SandboxPlan): Promise<string | undefined> =>
  new Promise((resolve) => {
    const child = spawn(bwrap, [...buildBwrapArgs(plan, ["true"])], {
      env: { ...plan.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      if (stderr.length < 2000) stderr += c.toString("utf8");
    });
    child.once("error", (e) => resolve(e.message));
    child.once("close", (code) =>
      resolve(code === 0 ? undefined : (stderr.trim().split("\n")[0] ?? `exit ${String(code)}`)),
    );
  });

/**
 * The read-only root: `/usr`, the top-level links into it (or the directories themselves on a
 * split-usr host), the few `/etc` entries in {@link ETC_ENTRIES}, the data directories in
 * {@link DATA_ENTRIES}, and `mounts`.
 *
 * @example
 * hostRoot(["/opt/conda"]); // [{ kind: "ro-bind", path: "/usr" }, { kind: "symlink", path: "/bin", target: "usr/bin" }, …]
 * @internal */
export const hostRoot = (mounts: ReadonlyArray<string>): ReadonlyArray<RootEntry> => {
  const top = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"].flatMap((path): RootEntry[] => {
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) return [{ kind: "symlink", path, target: readlinkSync(path) }];
      return st.isDirectory() ? [{ kind: "ro-bind", path }] : [];
    } catch {
      return [];
    }
  });
  const extra = mounts.filter((m) => m !== "/usr" && !m.startsWith("/usr/"));
  return [
    { kind: "ro-bind", path: "/usr" },
    ...top,
    ...[...ETC_ENTRIES, ...DATA_ENTRIES].map((path): RootEntry => ({ kind: "ro-bind-try", path })),
    // -try: a listed toolchain missing on this host is skipped, and the run's banner names it.
    ...extra.map((path): RootEntry => ({ kind: "ro-bind-try", path })),
  ];
};

/** The directory a path lies in that is a node_modules tree or a package root. */
const packageRoot = (file: string): string => {
  const parts = file.split(sep);
  const nm = parts.indexOf("node_modules");
  if (nm > 0) return parts.slice(0, nm + 1).join(sep);
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  return dirname(file);
};

/**
 * The host directories the command's own programs need, read-only: the install prefix of the
 * program (e.g. the bot's node), and for each absolute script or `--import=` path the package
 * it belongs to (and the real location of its `node_modules`, which may be a link).
 *
 * @example
 * toolchainMounts(["/opt/node/bin/node", "/srv/bot/node_modules/ml-chatops/bin/ml-chatops.js"]);
 * // ["/opt/node", "/srv/bot/node_modules"]
 * @internal */
export const toolchainMounts = (command: ReadonlyArray<string>): ReadonlyArray<string> => {
  const out = new Set<string>();
  const paths = command.map((a) => (a.startsWith("--") && a.includes("=") ? a.slice(a.indexOf("=") + 1) : a));
  paths.forEach((p, i) => {
    if (!isAbsolute(p) || !existsSync(p)) return;
    const real = realpathSync(p);
    if (i === 0) {
      out.add(dirname(dirname(real)));
      return;
    }
    const root = packageRoot(real);
    out.add(root);
    const nm = join(root, "node_modules");
    if (existsSync(nm)) out.add(realpathSync(nm));
  });
  return [...out].filter((p) => p !== "/" && p !== "/usr" && !p.startsWith("/usr/"));
};

/** What the runner decides before a run. @internal */
export type SandboxSettings = {
  readonly isolation: "bubblewrap" | "none";
  readonly bwrapPath: string;
};

/**
 * Decides how runs are isolated: Right(isolation), or Left(one line saying why nothing may run
 * and what to do). The probe runs once per call; the runner caches the answer.
 *
 * @example
 * const iso = await decideIsolation({ isolation: "bubblewrap", bwrapPath: "bwrap" }, process.env, plan);
 * @internal */
export const decideIsolation = async (
  settings: SandboxSettings,
  env: Env,
  plan: SandboxPlan,
): Promise<Isolation | { readonly refused: string }> => {
  if (settings.isolation === "none") return { kind: "none", why: "isolation: none in the runner config" };
  const bwrap = resolveProgram(settings.bwrapPath, env["PATH"]);
  const broken =
    bwrap === undefined ? `bubblewrap is not installed (no ${settings.bwrapPath} on PATH)` : await probe(bwrap, plan);
  if (bwrap !== undefined && broken === undefined) return { kind: "bubblewrap", bwrap };
  const held = credentialNames(env);
  const why = `no sandbox: ${broken ?? "unknown"}`;
  if (held.length === 0) return { kind: "none", why: `${why}; this process holds no credential` };
  return {
    refused:
      `refusing to run PR code without a sandbox while this process holds credentials (${held.slice(0, 5).join(", ")}): ${why}. ` +
      "Install bubblewrap (apt-get install bubblewrap) where unprivileged user namespaces are allowed, " +
      "or set runner.settings.isolation: none to run it unsandboxed (it can then read every secret of this process)",
  };
};

/** HOME inside the sandbox: an empty tmpfs. @internal */
export const SANDBOX_HOME = "/home/ml-chatops";

/** How to spawn one run, and what the run's report and log say about its isolation. @internal */
export type Launch = {
  readonly program: string;
  readonly args: ReadonlyArray<string>;
  readonly env: Record<string, string>;
  /** Appended to the run's status detail when the run is not in the default sandbox. */
  readonly note: string | undefined;
  /** The first log line of the run. */
  readonly banner: string;
};

/** What one run needs, whatever the isolation. @internal */
export type LaunchInput = {
  readonly command: ReadonlyArray<string>;
  readonly checkout: string;
  readonly writable: ReadonlyArray<string>;
  /** The allow-listed environment, without HOME and TMPDIR. */
  readonly env: Readonly<Record<string, string>>;
  /** HOME for an unsandboxed run (an empty directory of the run). */
  readonly home: string;
  readonly network: boolean;
  readonly mounts: ReadonlyArray<string>;
};

/** The configured read-only mounts for the banner, naming those this host lacks. */
const describeMounts = (mounts: ReadonlyArray<string>): string => {
  if (mounts.length === 0) return "";
  const shown = [...new Set(mounts)].map((m) => (existsSync(m) ? m : `${m} (not on this host, not mounted)`));
  return `, read-only mounts: ${shown.join(", ")}`;
};

/**
 * The spawn of one run: bwrap around the command, or the command itself when not sandboxed.
 *
 * @example
 * const l = launchFor({ kind: "bubblewrap", bwrap: "/usr/bin/bwrap" }, input);
 * spawn(l.program, l.args, { env: l.env, cwd: input.checkout });
 * @internal */
export const launchFor = (iso: Isolation, input: LaunchInput): Launch => {
  if (iso.kind === "none") {
    return {
      program: input.command[0] ?? "",
      args: input.command.slice(1),
      env: { ...input.env, HOME: input.home },
      note: `not sandboxed (${iso.why})`,
      banner: `[ml-chatops] not sandboxed: ${iso.why}`,
    };
  }
  const plan: SandboxPlan = {
    root: hostRoot([...toolchainMounts(input.command), ...input.mounts]),
    checkout: input.checkout,
    writable: input.writable,
    env: { ...input.env, HOME: SANDBOX_HOME, TMPDIR: "/tmp" },
    home: SANDBOX_HOME,
    network: input.network,
  };
  return {
    program: iso.bwrap,
    args: buildBwrapArgs(plan, input.command),
    // bwrap's own environment is visible as /proc/1/environ inside: it gets the child's only.
    env: { ...plan.env },
    note: input.network ? "sandboxed with network access (config network: true)" : undefined,
    banner: `[ml-chatops] sandbox: bubblewrap, network ${input.network ? "on (config network: true)" : "off"}${describeMounts(input.mounts)}`,
  };
};

/**
 * A plan for probing whether bwrap works here: the real flags around an empty run directory.
 *
 * @example
 * decideIsolation(settings, env, probePlan(tmpdir(), { PATH: "/usr/bin" }));
 * @internal */
export const probePlan = (dir: string, env: Readonly<Record<string, string>>): SandboxPlan => ({
  root: hostRoot([]),
  checkout: dir,
  writable: [],
  env,
  home: SANDBOX_HOME,
  network: false,
});
