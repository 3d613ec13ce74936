/**
 * The public API report: every export of every entry point (package.json "exports", each one
 * `src/<subpath>/index.ts`), with its kind and a one-line signature, read with the TypeScript
 * compiler API from the sources. `npm run api:report` writes api/public-api.md; test/api/report.test.ts
 * fails when the committed file differs, so growing the API is a visible decision in a diff.
 *
 * @example
 * npx tsx scripts/api-report.ts          # rewrites api/public-api.md, tags unexported library exports @internal
 * npx tsx scripts/api-report.ts --check  # exits 1 when api/public-api.md is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { tagInternals, untagPublic } from "./api-internal-tags.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPORT_PATH = join(REPO_ROOT, "api", "public-api.md");

/** Values (runtime exports) the root entry and all entries together may export (issue 14 part 4). */
export const BUDGET = { rootValues: 30, totalValues: 120 } as const;

export interface ApiExport {
  readonly name: string;
  readonly kind: "value" | "type";
  readonly signature: string;
}

export interface ApiEntry {
  /** The import specifier a user writes: `ml-chatops`, `ml-chatops/nlp`, … */
  readonly specifier: string;
  /** The source file, relative to the repository. */
  readonly file: string;
  readonly exports: ReadonlyArray<ApiExport>;
}

export interface ApiSurface {
  readonly entries: ReadonlyArray<ApiEntry>;
  /** Exported declarations of the library (src/core, src/nlp, src/adapters) reachable from no entry and not tagged `@internal`. */
  readonly untaggedInternals: ReadonlyArray<string>;
  /** Public exports whose TSDoc says `@internal`. */
  readonly taggedPublic: ReadonlyArray<string>;
}

/** The package's code entry points, from package.json "exports" (data files such as JSON schemas are left out). */
export const entryPoints = (): ReadonlyArray<{ specifier: string; file: string }> => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(pkg.exports)
    .map((key) => ({
      specifier: key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`,
      file: key === "." ? "src/index.ts" : `src/${key.slice(2)}/index.ts`,
    }))
    .filter((e) => existsSync(join(REPO_ROOT, e.file)));
};

const oneLine = (s: string, max = 200): string => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const isTypeOnlyDeclaration = (d: ts.Declaration): boolean =>
  (ts.isExportSpecifier(d) || ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceExport(d)) &&
  ts.isTypeOnlyImportOrExportDeclaration(d);

/** Follows an export through each re-export: type-only anywhere along the way means type-only. */
const resolveExport = (checker: ts.TypeChecker, s: ts.Symbol): { target: ts.Symbol; typeOnly: boolean } => {
  let current = s;
  let typeOnly = false;
  while (current.flags & ts.SymbolFlags.Alias) {
    if ((current.declarations ?? []).some(isTypeOnlyDeclaration)) typeOnly = true;
    current = checker.getImmediateAliasedSymbol(current) ?? checker.getAliasedSymbol(current);
  }
  return { target: current, typeOnly };
};

const FORMAT = ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | ts.TypeFormatFlags.WriteArrowStyleSignature;

const valueSignature = (checker: ts.TypeChecker, name: string, target: ts.Symbol): string => {
  const decl = target.valueDeclaration ?? target.declarations?.[0];
  if (decl === undefined) return name;
  if (ts.isClassDeclaration(decl)) return `class ${name}`;
  if (ts.isEnumDeclaration(decl)) return `enum ${name}`;
  const type = checker.getTypeOfSymbolAtLocation(target, decl);
  const calls = type.getCallSignatures();
  const first = calls[0];
  if (first !== undefined && type.getProperties().length === 0) {
    const more = calls.length > 1 ? ` (+${calls.length - 1} overloads)` : "";
    return oneLine(`function ${name}${checker.signatureToString(first, decl, FORMAT)}${more}`);
  }
  // A declared annotation (`const X: PipelineConfig`) says more than its expansion.
  const annotation = ts.isVariableDeclaration(decl) && decl.type !== undefined ? decl.type.getText() : undefined;
  if (annotation !== undefined) return oneLine(`const ${name}: ${annotation}`);
  const shown = checker.typeToString(type, decl, FORMAT);
  // An io-ts codec's full type spells out every field of its value: the kind of codec is enough here.
  if (["decode", "encode", "is", "validate"].every((p) => type.getProperty(p) !== undefined)) {
    return `const ${name}: io-ts codec (${shown.replace(/<.*$/, "")})`;
  }
  return oneLine(`const ${name}: ${shown}`);
};

/** An object type by its member names, a tagged union by its tags: what a reader scans for. */
const shapeOutline = (type: ts.Type): string | undefined => {
  const members = (t: ts.Type): string =>
    `{ ${t
      .getProperties()
      .map((p) => p.name)
      .join("; ")} }`;
  if (type.isUnion()) {
    const tags = type.types.map((t) => t.getProperty("_tag"));
    if (tags.every((p) => p !== undefined && p.valueDeclaration !== undefined)) {
      return `tagged union of ${type.types.map(tagOf).sort().join(" | ")}`;
    }
    return undefined;
  }
  const isObjectLike = (t: ts.Type): boolean => (t.flags & ts.TypeFlags.Object) !== 0;
  if (type.isIntersection() && type.types.every(isObjectLike)) return members(type);
  const isPlainObject = isObjectLike(type) && type.getCallSignatures().length === 0 && type.getProperties().length > 0;
  return isPlainObject ? members(type) : undefined;
};

const tagOf = (t: ts.Type): string => {
  const tag = t.getProperty("_tag");
  const decl = tag?.valueDeclaration;
  return decl !== undefined && ts.isPropertySignature(decl) && decl.type !== undefined ? decl.type.getText() : "?";
};

const typeSignature = (checker: ts.TypeChecker, name: string, target: ts.Symbol): string => {
  const decl = target.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d));
  if (decl !== undefined && ts.isInterfaceDeclaration(decl)) {
    const members = decl.members.map((m) => m.name?.getText() ?? "[index]").join("; ");
    return oneLine(`interface ${name} { ${members} }`);
  }
  const declared = checker.getDeclaredTypeOfSymbol(target);
  const outline = shapeOutline(declared);
  if (outline !== undefined) return oneLine(`type ${name} = ${outline}`);
  const shown = checker.typeToString(declared, decl, FORMAT | ts.TypeFormatFlags.InTypeAlias);
  return oneLine(`type ${name} = ${shown}`);
};

const hasInternalTag = (node: ts.Node): boolean => ts.getJSDocTags(node).some((t) => t.tagName.text === "internal");

const LIBRARY = /^src\/(core|nlp|adapters)\//;

/** Every exported declaration of a library file: name and the node its TSDoc sits on. */
const exportedDeclarations = (checker: ts.TypeChecker, sf: ts.SourceFile): ReadonlyArray<ts.Symbol> => {
  const module = checker.getSymbolAtLocation(sf);
  if (module === undefined) return [];
  // Only what the file declares itself; re-exports are owned by the file they come from.
  return checker
    .getExportsOfModule(module)
    .filter(
      (s) => (s.flags & ts.SymbolFlags.Alias) === 0 && (s.declarations ?? []).some((d) => d.getSourceFile() === sf),
    );
};

/** Reads the public surface from the sources. */
export const readApiSurface = (): ApiSurface => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => console.error(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    },
  );
  if (parsed === undefined) throw new Error("tsconfig.json: cannot be read");
  const rootNames = parsed.fileNames.filter((f) => LIBRARY.test(relative(REPO_ROOT, f)) || f.endsWith("src/index.ts"));
  const program = ts.createProgram(rootNames, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const publicSymbols = new Set<ts.Symbol>();
  const entries = entryPoints().map(({ specifier, file }) => {
    const sf = program.getSourceFile(join(REPO_ROOT, file));
    const module = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
    if (module === undefined) throw new Error(`${file}: not a module the compiler could read`);
    const exports = checker
      .getExportsOfModule(module)
      .map((s): ApiExport => {
        const { target, typeOnly } = resolveExport(checker, s);
        publicSymbols.add(target);
        const isValue = !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
        return {
          name: s.name,
          kind: isValue ? "value" : "type",
          signature: isValue ? valueSignature(checker, s.name, target) : typeSignature(checker, s.name, target),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { specifier, file, exports };
  });
  const untaggedInternals: string[] = [];
  const taggedPublic: string[] = [];
  for (const sf of program.getSourceFiles()) {
    const rel = relative(REPO_ROOT, sf.fileName);
    if (!LIBRARY.test(rel) || sf.isDeclarationFile) continue;
    for (const s of exportedDeclarations(checker, sf)) {
      const decls = (s.declarations ?? []).filter((d) => d.getSourceFile() === sf);
      const tagged = decls.some(hasInternalTag);
      if (publicSymbols.has(s) && tagged) taggedPublic.push(`${rel}: ${s.name}`);
      if (!publicSymbols.has(s) && !tagged) untaggedInternals.push(`${rel}: ${s.name}`);
    }
  }
  return { entries, untaggedInternals: untaggedInternals.sort(), taggedPublic: taggedPublic.sort() };
};

export const valueCount = (e: ApiEntry): number => e.exports.filter((x) => x.kind === "value").length;

const cell = (s: string): string => s.replace(/\|/g, "\\|");

/** The Markdown report: a summary table, then one table per entry. */
export const renderApiReport = (surface: ApiSurface): string => {
  const total = surface.entries.reduce((n, e) => n + valueCount(e), 0);
  const types = surface.entries.reduce((n, e) => n + e.exports.length - valueCount(e), 0);
  const lines = [
    "# Public API report",
    "",
    "Generated by `npm run api:report` (scripts/api-report.ts) from the entry points in package.json `exports`.",
    "Do not edit: `test/api/report.test.ts` fails when this file differs from a fresh report, so every change",
    `to the public API shows in a diff. Budgets: the root entry at most ${BUDGET.rootValues} values, all entries`,
    `together at most ${BUDGET.totalValues}. Values are runtime exports; types are erased at run time.`,
    "",
    "| entry | source | values | types |",
    "| --- | --- | ---: | ---: |",
    ...surface.entries.map(
      (e) => `| \`${e.specifier}\` | ${e.file} | ${valueCount(e)} | ${e.exports.length - valueCount(e)} |`,
    ),
    `| **all** | | **${total}** | **${types}** |`,
  ];
  for (const e of surface.entries) {
    lines.push("", `## \`${e.specifier}\``, "", "| export | kind | signature |", "| --- | --- | --- |");
    for (const x of e.exports) lines.push(`| \`${x.name}\` | ${x.kind} | \`${cell(x.signature)}\` |`);
  }
  return `${lines.join("\n")}\n`;
};

/** Lines only in `before` (-) or only in `after` (+), in order: enough to see what changed. */
export const lineDiff = (before: string, after: string): string => {
  const a = before.split("\n");
  const b = after.split("\n");
  const inA = new Set(a);
  const inB = new Set(b);
  return [
    ...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`),
    ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`),
  ].join("\n");
};

const main = (): void => {
  const surface = readApiSurface();
  const fresh = renderApiReport(surface);
  if (process.argv.includes("--check")) {
    const committed = existsSync(REPORT_PATH) ? readFileSync(REPORT_PATH, "utf8") : "";
    if (committed === fresh) return;
    console.error(`api/public-api.md is stale: run npm run api:report and commit\n${lineDiff(committed, fresh)}`);
    process.exitCode = 1;
    return;
  }
  const tagged = tagInternals(
    surface.untaggedInternals.map((u) => {
      const [file = "", name = ""] = u.split(": ");
      return { file, name };
    }),
    REPO_ROOT,
  );
  const untagged = untagPublic(
    surface.taggedPublic.map((u) => {
      const [file = "", name = ""] = u.split(": ");
      return { file, name };
    }),
    REPO_ROOT,
  );
  writeFileSync(REPORT_PATH, fresh);
  console.log(
    `wrote ${relative(REPO_ROOT, REPORT_PATH)}; tagged ${tagged} internal export(s) @internal, untagged ${untagged} public one(s)`,
  );
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
