/**
 * docs/ARCHITECTURE.md names files and symbols on every line; this keeps them true, so the tour
 * cannot rot silently when code moves.
 *
 * The conventions it checks (the tour states them at its end):
 * - a backticked span that starts with one of our top-level folders (`src/`, `test/`, …) or is one
 *   of our top-level files (`README.md`, `package.json`, …) is a path: it must exist, and a path
 *   ending in `/` must be a folder;
 * - a path followed by ` (` and backticked names, as in "`src/core/ports.ts` (`Forge`, `Runner`)",
 *   names symbols of that file: in a `.ts` file each must be exported (directly, or re-exported
 *   through `export … from`), in any other file each must appear in its text. Such a parenthesis
 *   holds only backticked names separated by commas, so a typo cannot slip out of the check.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DOC = "docs/ARCHITECTURE.md";
const FOLDERS = ["src", "test", "scripts", "examples", "schema", "docs", "action", "bin", ".ci"];
const TOP_FILES = new Set([
  "README.md",
  "package.json",
  ".dependency-cruiser.cjs",
  "action.yml",
  "buildspec.yml",
  "tsconfig.json",
  "tsup.config.ts",
  "eslint.config.js",
]);

const isOurPath = (span: string): boolean =>
  !/\s/.test(span) && (TOP_FILES.has(span) || FOLDERS.some((f) => span.startsWith(`${f}/`)));

/** Every backticked span of a Markdown text outside fenced code blocks, with its line number and where it ends. */
const spansOf = (
  text: string,
): ReadonlyArray<{ readonly span: string; readonly line: number; readonly end: number }> => {
  const out: Array<{ span: string; line: number; end: number }> = [];
  let fenced = false;
  let offset = 0;
  text.split("\n").forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) {
      for (const m of line.matchAll(/`([^`]+)`/g))
        out.push({ span: m[1] ?? "", line: i + 1, end: offset + (m.index ?? 0) + m[0].length });
    }
    offset += line.length + 1;
  });
  return out;
};

/** The names a TypeScript file exports, following `export * from` and `export { … } from` into our own files. */
const exportsOf = (file: string, seen: Set<string> = new Set()): ReadonlySet<string> => {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const target = (spec: ts.Expression | undefined): string | undefined =>
    spec !== undefined && ts.isStringLiteral(spec) && spec.text.startsWith(".")
      ? join(dirname(file), spec.text.replace(/\.js$/, ".ts"))
      : undefined;
  for (const st of source.statements) {
    if (ts.isExportDeclaration(st)) {
      const from = target(st.moduleSpecifier);
      if (st.exportClause === undefined) {
        if (from !== undefined) for (const n of exportsOf(from, seen)) names.add(n);
      } else if (ts.isNamespaceExport(st.exportClause)) names.add(st.exportClause.name.text);
      else for (const el of st.exportClause.elements) names.add(el.name.text);
      continue;
    }
    const exported =
      ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isInterfaceDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name !== undefined
    ) {
      names.add(st.name.text);
    }
  }
  return names;
};

/** The backticked names in the parenthesis right after a path span, or undefined when none follows. */
const namedAfter = (
  text: string,
  end: number,
): { readonly names: ReadonlyArray<string>; readonly rest: string } | undefined => {
  // The parenthesis may open on the next line: a wrapped paragraph must not escape the check.
  const open = /^[ \t]*\n?[ \t]*\(/.exec(text.slice(end, end + 200));
  if (open === null) return undefined;
  const from = end + open[0].length;
  const close = text.indexOf(")", from);
  const inner = close === -1 ? "" : text.slice(from, close);
  if (!inner.includes("`")) return undefined;
  const names = [...inner.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
  return { names, rest: inner.replace(/`[^`]+`/g, "").replace(/[,\s]/g, "") };
};

describe("docs/ARCHITECTURE.md stays true", () => {
  const text = readFileSync(join(ROOT, DOC), "utf8");
  const spans = spansOf(text);
  const paths = spans.filter((s) => isOurPath(s.span));

  it("names files and symbols (the tour is not empty of references)", () => {
    assert.ok(paths.length >= 60, `expected the tour to name at least 60 files, it names ${paths.length}`);
    const withSymbols = paths.filter((p) => namedAfter(text, p.end) !== undefined);
    assert.ok(
      withSymbols.length >= 30,
      `expected at least 30 "\`file\` (\`symbol\`)" references, found ${withSymbols.length}`,
    );
  });

  it("every file path it quotes exists (a path ending in / is a folder)", () => {
    const missing = paths
      .filter((p) => {
        const abs = join(ROOT, p.span);
        if (!existsSync(abs)) return true;
        return p.span.endsWith("/") ? !statSync(abs).isDirectory() : !statSync(abs).isFile();
      })
      .map((p) => `${DOC}:${p.line}: ${p.span}`);
    assert.deepEqual(missing, [], `paths that do not exist (or are not what they claim):\n${missing.join("\n")}`);
  });

  it('every symbol named as "`file` (`symbol`, …)" is exported from that file (or, outside TypeScript, appears in it)', () => {
    const problems: Array<string> = [];
    for (const p of paths) {
      const named = namedAfter(text, p.end);
      if (named === undefined) continue;
      const where = `${DOC}:${p.line}: ${p.span}`;
      if (named.rest !== "") {
        problems.push(
          `${where}: the parenthesis after a path may hold only backticked names and commas, found "${named.rest}"`,
        );
        continue;
      }
      const abs = join(ROOT, p.span);
      if (!existsSync(abs) || !statSync(abs).isFile()) continue; // reported by the path check
      if (p.span.endsWith(".ts")) {
        const exported = exportsOf(abs);
        for (const n of named.names) if (!exported.has(n)) problems.push(`${where}: \`${n}\` is not exported there`);
      } else {
        const body = readFileSync(abs, "utf8");
        for (const n of named.names) if (!body.includes(n)) problems.push(`${where}: \`${n}\` does not appear there`);
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  it("the README links to the tour", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes("](docs/ARCHITECTURE.md)"), "README.md has no Markdown link to docs/ARCHITECTURE.md");
  });
});

describe("the checker itself", () => {
  it("finds direct exports, `export { … }` and `export *` re-exports, and nothing unexported", () => {
    const model = exportsOf(join(ROOT, "src/core/model.ts"));
    assert.ok(model.has("ResultDiff"), "ResultDiff comes through `export * from ./comparison-model.js`");
    const root = exportsOf(join(ROOT, "src/index.ts"));
    assert.ok(root.has("createPipeline"), "createPipeline comes through `export { … } from`");
    assert.ok(root.has("Forge"), "Forge comes through `export type { … } from`");
    const onLabel = exportsOf(join(ROOT, "src/core/on-label.ts"));
    assert.ok(onLabel.has("createLabelHandler"));
    assert.ok(!onLabel.has("supersededReport"), "an inner function is not an export");
  });

  it("reads a path's symbol list and rejects other text in it", () => {
    const t =
      "see `src/core/ports.ts` (`Forge`, `Runner`) and `src/x.ts` (the `y` step) and `src/z.ts` (plain words) and `src/w.ts`\n(`A`,\n`B`) and `src/v.ts`, (`C`)";
    const ends = spansOf(t)
      .filter((s) => isOurPath(s.span))
      .map((s) => s.end);
    assert.deepEqual(namedAfter(t, ends[0] ?? -1), { names: ["Forge", "Runner"], rest: "" });
    assert.deepEqual(namedAfter(t, ends[1] ?? -1), { names: ["y"], rest: "thestep" });
    assert.equal(namedAfter(t, ends[2] ?? -1), undefined);
    assert.deepEqual(
      namedAfter(t, ends[3] ?? -1),
      { names: ["A", "B"], rest: "" },
      "a parenthesis on the next line still counts",
    );
    assert.equal(namedAfter(t, ends[4] ?? -1), undefined, "only a parenthesis right after the path names its symbols");
  });

  it("takes only our own paths, and nothing inside fenced code", () => {
    assert.ok(isOurPath("src/core/ports.ts") && isOurPath("README.md") && isOurPath("src/adapters/"));
    assert.ok(
      !isOurPath(".github/ml-chatops.yml") && !isOurPath("ml-chatops/schema/result.json") && !isOurPath("src/a b.ts"),
    );
    assert.deepEqual(
      spansOf("```ts\n`src/in-fence.ts`\n```\n`src/out.ts`").map((s) => s.span),
      ["src/out.ts"],
    );
  });
});
