/**
 * Issue 11 part 5: the packed package in (a) an ESM TypeScript project (strict, compiled with the
 * project's own typescript under `moduleResolution` node16 and bundler) and (b) a CommonJS
 * project. The README's library example, read from README.md, compiles and runs in both; every
 * subpath of `exports` resolves at run time and with its types.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec, freshProject, npmInstall, ownPackage, packOnce, REPO_ROOT } from "./support.js";

/** The first ```ts block of the README's "Use it as a library" section. */
const readmeLibraryExample = (): string => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use it as a library"));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (m?.[1] === undefined) throw new Error('README.md has no ```ts block under "## Use it as a library"');
  return m[1];
};

const toSpecifier = (k: string): string => (k === "." ? "ml-chatops" : `ml-chatops/${k.slice(2)}`);

/** The code subpaths (with import/require conditions and types); data files such as JSON schemas are checked apart. */
const subpaths = (): ReadonlyArray<string> =>
  Object.entries(ownPackage().exports)
    .filter(([, v]) => typeof v === "object" && v !== null && ("import" in v || "require" in v))
    .map(([k]) => toSpecifier(k));

/** Every other subpath (data files), which `require` must resolve too. */
const dataSubpaths = (): ReadonlyArray<string> =>
  Object.keys(ownPackage().exports)
    .map(toSpecifier)
    .filter((s) => !subpaths().includes(s));

/** A TS module importing every subpath as a namespace and using one export of each (so types must resolve). */
const subpathProbe = (): string =>
  [
    ...subpaths().map((s, i) => `import * as m${i} from "${s}";`),
    `const counts: ReadonlyArray<readonly [string, number]> = [${subpaths()
      .map((s, i) => `["${s}", Object.keys(m${i}).length]`)
      .join(", ")}];`,
    `for (const [name, n] of counts) console.log(\`\${name} \${n}\`);`,
    "",
  ].join("\n");

const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version;

const tsconfig = (resolution: "node16" | "bundler", outDir: string) => ({
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    target: "es2022",
    module: resolution === "node16" ? "node16" : "esnext",
    moduleResolution: resolution,
    types: ["node"],
    outDir,
  },
  include: ["src/*.ts"],
});

describe("the packed package in fresh ESM TypeScript and CommonJS projects (issue 11 part 5)", () => {
  let esm = "";
  let cjs = "";
  const tsc = () => join(esm, "node_modules", "typescript", "bin", "tsc");
  before(async () => {
    const tarball = await packOnce();
    esm = freshProject("esm-ts", { type: "module" });
    // The project's own typescript and Node types, the versions this repository uses (in the npm cache).
    await npmInstall(esm, [
      tarball,
      `typescript@${installedVersion("typescript")}`,
      `@types/node@${installedVersion("@types/node")}`,
    ]);
    mkdirSync(join(esm, "src"));
    writeFileSync(join(esm, "src", "example.ts"), readmeLibraryExample());
    writeFileSync(join(esm, "src", "subpaths.ts"), subpathProbe());
    writeFileSync(join(esm, "tsconfig.node16.json"), JSON.stringify(tsconfig("node16", "out-node16")));
    writeFileSync(join(esm, "tsconfig.bundler.json"), JSON.stringify(tsconfig("bundler", "out-bundler")));
    // A CommonJS package inside the project: it resolves the same node_modules through `require`.
    cjs = join(esm, "cjs");
    mkdirSync(join(cjs, "src"), { recursive: true });
    writeFileSync(join(cjs, "package.json"), JSON.stringify({ name: "cjs-consumer", private: true, type: "commonjs" }));
    writeFileSync(join(cjs, "src", "example.ts"), readmeLibraryExample());
    writeFileSync(join(cjs, "src", "subpaths.ts"), subpathProbe());
    writeFileSync(join(cjs, "tsconfig.json"), JSON.stringify(tsconfig("node16", "out")));
  });

  const compile = async (dir: string, project: string): Promise<void> => {
    const r = await exec(process.execPath, [tsc(), "-p", project], dir);
    assert.equal(r.code, 0, `tsc -p ${project}: ${r.stdout}${r.stderr}`);
  };
  const runJs = async (dir: string, file: string): Promise<string> => {
    const r = await exec(process.execPath, [file], dir);
    assert.equal(r.code, 0, `node ${file}: ${r.stderr}`);
    return r.stdout;
  };
  const expectEverySubpath = (out: string): void => {
    const lines = out.trim().split("\n");
    assert.deepEqual(
      lines.map((l) => l.split(" ")[0]),
      subpaths(),
    );
    for (const l of lines) assert.ok(Number(l.split(" ")[1]) > 0, `no exports at run time: ${l}`);
  };

  for (const resolution of ["node16", "bundler"] as const) {
    it(`ESM + TypeScript strict, moduleResolution ${resolution}: the README example compiles and runs; every subpath resolves with types`, async () => {
      await compile(esm, `tsconfig.${resolution}.json`);
      assert.equal((await runJs(esm, `out-${resolution}/example.js`)).trim(), "Approved, then run succeeded");
      expectEverySubpath(await runJs(esm, `out-${resolution}/subpaths.js`));
    });
  }

  it("CommonJS: the README example compiled to require() runs; every subpath resolves through `require` with its .d.cts types", async () => {
    await compile(cjs, "tsconfig.json");
    assert.match(readFileSync(join(cjs, "out", "example.js"), "utf8"), /require\("ml-chatops"\)/);
    assert.equal((await runJs(cjs, "out/example.js")).trim(), "Approved, then run succeeded");
    expectEverySubpath(await runJs(cjs, "out/subpaths.js"));
  });

  it("CommonJS JavaScript: plain require() of every subpath, data files (package.json, JSON schemas) included", async () => {
    writeFileSync(
      join(cjs, "plain.js"),
      `for (const s of ${JSON.stringify(subpaths())}) console.log(s + " " + Object.keys(require(s)).length);\n`,
    );
    expectEverySubpath(await runJs(cjs, "plain.js"));
    writeFileSync(
      join(cjs, "data.js"),
      `for (const s of ${JSON.stringify(dataSubpaths())}) console.log(s + " " + Object.keys(require(s)).length);\n`,
    );
    const data = (await runJs(cjs, "data.js")).trim().split("\n");
    assert.deepEqual(
      data.map((l) => l.split(" ")[0]),
      dataSubpaths(),
    );
    for (const l of data) assert.ok(Number(l.split(" ")[1]) > 0, l);
  });
});
