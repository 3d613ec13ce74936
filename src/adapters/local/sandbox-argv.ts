/**
 * The bubblewrap command line that runs PR code (SECURITY-CHECKLIST 76-79). Pure: the host
 * facts it needs (which top-level directories are symlinks into /usr, which paths to mount)
 * are given, so every flag is unit-tested without spawning anything.
 */

/** One read-only piece of the host's root filesystem. @internal */
export type RootEntry =
  | { readonly kind: "ro-bind"; readonly path: string }
  | { readonly kind: "ro-bind-try"; readonly path: string }
  | { readonly kind: "symlink"; readonly path: string; readonly target: string };

/**
 * Everything the sandbox is made of.
 *
 * @example
 * const plan: SandboxPlan = {
 *   root: [{ kind: "ro-bind", path: "/usr" }], checkout: "/tmp/run/checkout", writable: [],
 *   env: { PATH: "/usr/bin" }, home: "/home/sandbox", network: false,
 * };
 * @internal */
export type SandboxPlan = {
  /** The toolchains and the few `/etc` files programs need; all read-only. */
  readonly root: ReadonlyArray<RootEntry>;
  /** The run's own checkout: bound read-write and the working directory. */
  readonly checkout: string;
  /** Other directories the experiment may write (bound read-write at the same path). */
  readonly writable: ReadonlyArray<string>;
  /** The whole environment of the sandboxed process (bwrap clears everything else). */
  readonly env: Readonly<Record<string, string>>;
  /** An empty private tmpfs that becomes HOME. */
  readonly home: string;
  /** Share the host's network namespace (only when the experiment config asks for it). */
  readonly network: boolean;
};

/**
 * The top-level `/etc` entries programs commonly need (dynamic linker, locale, time zone,
 * TLS roots, name service, MeCab's config). Nothing else of `/etc` is visible.
 *
 * @example
 * ETC_ENTRIES.includes("/etc/ld.so.cache"); // true
 * @internal */
export const ETC_ENTRIES: ReadonlyArray<string> = [
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/localtime",
  "/etc/timezone",
  "/etc/locale.alias",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/pki",
  "/etc/nsswitch.conf",
  "/etc/passwd",
  "/etc/group",
  "/etc/hosts",
  "/etc/host.conf",
  "/etc/resolv.conf",
  "/etc/gai.conf",
  "/etc/mime.types",
  "/etc/mecabrc",
  "/etc/python3",
  "/etc/python3.11",
  "/etc/python3.12",
  "/etc/matplotlibrc",
];

/**
 * Host data directories outside `/usr` and `/etc` that toolchains read, shown read-only when
 * present: Debian keeps the compiled MeCab dictionaries, which `/etc/mecabrc` points to, in
 * `/var/lib/mecab/dic`. Nothing else of `/var` is visible.
 *
 * @example
 * DATA_ENTRIES.includes("/var/lib/mecab"); // true
 * @internal */
export const DATA_ENTRIES: ReadonlyArray<string> = ["/var/lib/mecab"];

const rootArgs = (e: RootEntry): ReadonlyArray<string> =>
  e.kind === "symlink" ? ["--symlink", e.target, e.path] : [`--${e.kind}`, e.path, e.path];

/**
 * The bwrap argv (without the bwrap program itself) that runs `command` inside the sandbox.
 * Order matters: the tmpfs mounts come first, so a toolchain or checkout below /tmp stays visible.
 *
 * @example
 * buildBwrapArgs(plan, ["/usr/bin/node", "train.mjs"]);
 * // ["--unshare-all", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL", …, "--", "/usr/bin/node", "train.mjs"]
 * @internal */
export const buildBwrapArgs = (plan: SandboxPlan, command: ReadonlyArray<string>): ReadonlyArray<string> => [
  // New user, pid, ipc, net, uts and cgroup namespaces: no other process, no host network.
  // --unshare-user explicitly: as root, --unshare-all alone would skip the user namespace.
  "--unshare-all",
  "--unshare-user",
  ...(plan.network ? ["--share-net"] : []),
  // No nested user namespace, hence no way back to capabilities inside the sandbox.
  "--disable-userns",
  // The sandbox dies with the bot; setsid() so PR code cannot push keys into our terminal (TIOCSTI).
  "--die-with-parent",
  "--new-session",
  // When the bot runs as root, bwrap would keep root's capabilities: drop them all.
  "--cap-drop",
  "ALL",
  "--clearenv",
  ...Object.entries(plan.env).flatMap(([k, v]) => ["--setenv", k, v]),
  // A /proc of the new pid namespace only (no ancestor's environ), a minimal /dev.
  "--proc",
  "/proc",
  "--dev",
  "/dev",
  // Private HOME and TMPDIR: nothing of the bot's home or temp files.
  "--tmpfs",
  "/tmp",
  "--tmpfs",
  plan.home,
  ...plan.root.flatMap(rootArgs),
  "--bind",
  plan.checkout,
  plan.checkout,
  ...plan.writable.flatMap((w) => ["--bind", w, w]),
  "--chdir",
  plan.checkout,
  "--",
  ...command,
];
