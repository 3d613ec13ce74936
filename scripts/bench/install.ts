/**
 * A fresh install of the working tree for the benchmark, as a user gets it: `npm pack` (which
 * runs the build, so dist/ and its prepared dictionary are current), the tarball unpacked into
 * `<dir>/node_modules/ml-chatops` of an empty project, the runtime dependencies linked from this
 * repository's node_modules (no network). Nothing of a previous run is in it: no cache.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Packs `repoRoot` into `dir`; returns the tarball's path.
 *
 * @example
 * const tarball = packTree(repoRoot, "/tmp/bench");
 */
export const packTree = (repoRoot: string, dir: string): string => {
  mkdirSync(dir, { recursive: true });
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return path.join(dir, out.trim().split("\n").pop()!);
};

/**
 * Installs `tarball` into the empty project `dir`; `withoutDictionary` deletes the shipped
 * dictionary (the case of a kuromoji other than the one the package was built with).
 *
 * @example
 * const { bin } = installTarball(tarball, "/tmp/bench/install", repoRoot);
 */
export const installTarball = (
  tarball: string,
  dir: string,
  repoRoot: string,
  withoutDictionary = false,
): { readonly bin: string; readonly root: string; readonly dictionaryBytes: number } => {
  const pkg = path.join(dir, "node_modules", "ml-chatops");
  mkdirSync(pkg, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", pkg, "--strip-components=1"]);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-install", private: true }));
  const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]) {
    const link = path.join(dir, "node_modules", dep);
    mkdirSync(path.dirname(link), { recursive: true }); // a scoped name (@octokit/core) needs its scope folder
    symlinkSync(path.join(repoRoot, "node_modules", dep), link);
  }
  const dictionary = path.join(pkg, "dist", "ipadic.bin");
  const dictionaryBytes = statSync(dictionary).size;
  if (withoutDictionary) rmSync(dictionary);
  return { bin: path.join(pkg, "bin", "ml-chatops.js"), root: pkg, dictionaryBytes };
};
