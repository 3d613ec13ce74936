/**
 * Adds `@internal` to the TSDoc of library exports that no entry point exports (issue 14 part 4):
 * `npm run api:report` calls it, so a new internal helper needs no hand edit. Only comments are
 * written; a multi-line TSDoc gets the tag on its closing line, so no file grows a line.
 *
 * @example
 * tagInternals([{ file: "src/core/diff.ts", name: "diffDocument" }]); // 1
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export interface Untagged {
  /** Relative to `root`. */
  readonly file: string;
  readonly name: string;
}

const isExported = (st: ts.Statement): boolean =>
  ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

const declaredNames = (st: ts.Statement): ReadonlyArray<string> => {
  if (ts.isVariableStatement(st)) {
    return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  const named = st as ts.Statement & { readonly name?: ts.Node };
  return named.name !== undefined && ts.isIdentifier(named.name) ? [named.name.text] : [];
};

/** The text edit that tags one statement: inside its last TSDoc, or a new one-line TSDoc above it. */
const tagEdit = (sf: ts.SourceFile, st: ts.Statement): { at: number; remove: number; text: string } => {
  const docs = ts.getJSDocCommentsAndTags(st).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  if (doc === undefined) {
    const start = st.getStart(sf);
    const lineStart = sf.text.lastIndexOf("\n", start - 1) + 1;
    const indent = sf.text.slice(lineStart, start);
    return { at: start, remove: 0, text: `/** @internal */\n${indent}` };
  }
  const text = sf.text.slice(doc.pos, doc.end);
  const close = doc.end - 2;
  // A closing line of its own (`   */`) becomes `   * @internal */`; `/** text */` becomes `/** text @internal */`.
  const closingLine = /\n([ \t]*)\*\/$/.exec(text);
  if (closingLine !== null) return { at: close, remove: 0, text: "* @internal " };
  return { at: close, remove: 0, text: text.endsWith(" */") ? "@internal " : " @internal " };
};

/** A replacement of `source.slice(from, to)`. */
type Edit = { readonly from: number; readonly to: number; readonly text: string };

/**
 * Parses each file that holds one of `entries`, applies the edits `edit` finds there (it also
 * counts what it did), writes the file back if it changed, and returns the sum of the counts.
 */
const editFiles = (
  entries: ReadonlyArray<Untagged>,
  root: string,
  edit: (
    sf: ts.SourceFile,
    names: ReadonlySet<string>,
  ) => { readonly edits: ReadonlyArray<Edit>; readonly count: number },
): number => {
  const byFile = new Map<string, Set<string>>();
  for (const u of entries) byFile.set(u.file, (byFile.get(u.file) ?? new Set()).add(u.name));
  let count = 0;
  for (const [file, names] of byFile) {
    const path = join(root, file);
    const source = readFileSync(path, "utf8");
    const found = edit(ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, true), names);
    let out = source;
    for (const e of [...found.edits].sort((a, b) => b.from - a.from))
      out = out.slice(0, e.from) + e.text + out.slice(e.to);
    if (out !== source) writeFileSync(path, out);
    count += found.count;
  }
  return count;
};

/** Tags each name's first exported statement in its file; returns how many were tagged. */
export const tagInternals = (untagged: ReadonlyArray<Untagged>, root: string): number =>
  editFiles(untagged, root, (sf, names) => {
    const edits: Array<Edit> = [];
    const done = new Set<string>();
    for (const st of sf.statements) {
      if (!isExported(st)) continue;
      const hit = declaredNames(st).filter((n) => names.has(n) && !done.has(n));
      if (hit.length === 0) continue;
      hit.forEach((n) => done.add(n));
      const t = tagEdit(sf, st);
      edits.push({ from: t.at, to: t.at + t.remove, text: t.text });
    }
    return { edits, count: done.size };
  });

/** Removes `@internal` from the TSDoc of exports an entry point now exports; returns how many. */
export const untagPublic = (tagged: ReadonlyArray<Untagged>, root: string): number =>
  editFiles(tagged, root, (sf, names) => {
    const edits: Array<Edit> = [];
    for (const st of sf.statements) {
      if (!isExported(st) || !declaredNames(st).some((n) => names.has(n))) continue;
      for (const doc of ts.getJSDocCommentsAndTags(st).filter(ts.isJSDoc)) {
        const text = sf.text.slice(doc.pos, doc.end);
        if (text === "/** @internal */") {
          // A TSDoc that was only the tag goes with the line break and indent after it.
          edits.push({ from: doc.pos, to: st.getStart(sf), text: "" });
          continue;
        }
        const cleaned = text
          .replace(/\n[ \t]*\* @internal[ \t]*(?=\n)/g, "")
          .replace(/\* @internal \*\/$/, "*/")
          .replace(/ @internal \*\/$/, " */");
        if (cleaned !== text) edits.push({ from: doc.pos, to: doc.end, text: cleaned });
      }
    }
    return { edits, count: edits.length };
  });
