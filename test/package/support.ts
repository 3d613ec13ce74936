/**
 * The package as a user receives it: `npm pack` of this checkout (its built dist/), installed into
 * a fresh temporary project that holds none of our source. One pack and one install per test
 * file (in `before`); npm runs with offline-friendly flags, from the user's npm cache.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = process.cwd();
export const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"] as const;

/** The environment of child npm/node processes: none of the npm_* variables of our own `npm test`. */
export const cleanEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "NODE_OPTIONS" && k !== "INIT_CWD"),
  ),
  ...extra,
});

export type Exec = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Runs a program; never throws on a non-zero exit (the result says how it ended). */
export const exec = async (
  file: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<Exec> => {
  try {
    const r = await run(file, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof x.code === "number" ? x.code : -1, stdout: x.stdout ?? "", stderr: x.stderr ?? String(e) };
  }
};

const must = (what: string, r: Exec): Exec => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
};

/** Packs this checkout (dist/ must be built: `npm run build`) into a temporary directory; returns the tarball path. */
export const packOnce = async (): Promise<string> => {
  const dest = mkdtempSync(join(tmpdir(), "ml-chatops-pack-"));
  // --ignore-scripts: `prepare` would rebuild; the tests check the dist/ that CI just built.
  const r = must(
    "npm pack",
    await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], REPO_ROOT),
  );
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string }>;
  if (info === undefined) throw new Error(`npm pack printed no file: ${r.stdout}`);
  return join(dest, info.filename);
};

/** A fresh project directory with this package.json. */
export const freshProject = (name: string, pkg: Readonly<Record<string, unknown>>): string => {
  const dir = mkdtempSync(join(tmpdir(), `ml-chatops-${name}-`));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name, version: "1.0.0", private: true, ...pkg }, null, 2)}\n`,
  );
  return dir;
};

/** `npm install` in `dir` with our flags plus `args`; throws with npm's stderr when it fails. */
export const npmInstall = async (dir: string, args: ReadonlyArray<string>): Promise<Exec> =>
  must(`npm install ${args.join(" ")} in ${dir}`, await exec("npm", ["install", ...NPM_FLAGS, ...args], dir));

/** Our package.json, as packed. */
export const ownPackage = (): {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly exports: Readonly<Record<string, unknown>>;
} => JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as ReturnType<typeof ownPackage>;

/** Runs `node` with a script in `dir` (ESM with `module: true`). */
export const node = (
  dir: string,
  script: string,
  opts: { readonly module?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<Exec> =>
  exec(
    process.execPath,
    [...(opts.module === true ? ["--input-type=module"] : ["--input-type=commonjs"]), "-e", script],
    dir,
    opts.env ?? cleanEnv(),
  );
