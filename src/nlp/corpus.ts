/**
 * Corpus files: JSON Lines, one document per line.
 *
 * Rules (the same for both formats):
 * - a line is one JSON object; extra fields are ignored;
 * - blank lines (only whitespace) are skipped, but still counted, so line numbers in errors are
 *   the editor's line numbers; a trailing `\r` (CRLF files) and a leading byte-order mark are tolerated;
 * - `id` is a non-empty string, unique in the file;
 * - the first bad line stops parsing with an error naming file, line and field.
 */
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { corpusDuplicateId, corpusLineInvalid, type NlpError } from "./errors.js";

/** @internal */
export interface NonEmptyStringBrand {
  readonly NonEmptyString: unique symbol;
}
const NonEmptyString = t.brand(
  t.string,
  (s): s is t.Branded<string, NonEmptyStringBrand> => s.length > 0,
  "NonEmptyString",
);

/**
 * One document of a raw corpus: `{"id","title","text"}`. Title and text may be empty.
 *
 * @example
 * CorpusDocument.is({ id: "t1", title: "Hello", text: "" }); // true
 */
export const CorpusDocument = t.type({ id: t.string, title: t.string, text: t.string });
export type CorpusDocument = t.TypeOf<typeof CorpusDocument>;

/**
 * One document of a pre-tokenized corpus: `{"id","tokens":[…]}`.
 *
 * @example
 * TokenizedDocument.is({ id: "t1", tokens: ["python", "型"] }); // true
 */
export const TokenizedDocument = t.type({ id: t.string, tokens: t.readonlyArray(t.string) });
export type TokenizedDocument = t.TypeOf<typeof TokenizedDocument>;

// What each line must look like; field order is the order errors are reported in.
const CorpusLine = t.type({ id: NonEmptyString, title: t.string, text: t.string });
const TokenizedLine = t.type({ id: NonEmptyString, tokens: t.readonlyArray(t.string) });

const expectedOf = (typeName: string): string => {
  if (typeName === "NonEmptyString") return "a non-empty string";
  if (typeName === "string") return "a string";
  if (typeName.startsWith("ReadonlyArray<")) return "an array of strings";
  return typeName;
};

/** Turns the first io-ts error into `field "x" must be …` / `field "x" is missing`. */
const describeDecodeError = (errors: t.Errors): string => {
  const first = errors[0];
  if (first === undefined) return "invalid line";
  const keys = first.context.map((c) => c.key).filter((k) => k !== "");
  if (keys.length === 0) return "line must be a JSON object";
  const [head, ...rest] = keys;
  const field = `${head ?? ""}${rest.map((k) => `[${k}]`).join("")}`;
  const last = first.context[first.context.length - 1];
  if (first.value === undefined && rest.length === 0) return `field "${field}" is missing`;
  return `field "${field}" must be ${expectedOf(last?.type.name ?? "")}`;
};

const parseJsonLines = <A extends { readonly id: string }>(
  file: string,
  content: string,
  codec: t.Decoder<unknown, A>,
): E.Either<NlpError, ReadonlyArray<A>> => {
  const lines = content.replace(/^\uFEFF/, "").split("\n");
  const out: A[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] ?? "").replace(/\r$/, "");
    if (raw.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
      return E.left(corpusLineInvalid(file, lineNo, `not valid JSON (${why})`));
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      return E.left(corpusLineInvalid(file, lineNo, "line must be a JSON object"));
    }
    const decoded = codec.decode(json);
    if (E.isLeft(decoded)) return E.left(corpusLineInvalid(file, lineNo, describeDecodeError(decoded.left)));
    const firstLine = seen.get(decoded.right.id);
    if (firstLine !== undefined) return E.left(corpusDuplicateId(file, decoded.right.id, firstLine, lineNo));
    seen.set(decoded.right.id, lineNo);
    out.push(decoded.right);
  }
  return E.right(out);
};

/**
 * Parses a raw corpus (`{"id","title","text"}` per line). `file` is only used in error messages.
 *
 * @example
 * parseCorpus("c.jsonl", '{"id":"a","title":"T","text":"x"}\n');
 * // Right([{ id: "a", title: "T", text: "x" }])
 * parseCorpus("c.jsonl", '{"id":7,"title":"T","text":"x"}');
 * // Left(CorpusLineInvalid: 'c.jsonl:1: field "id" must be a non-empty string')
 */
export const parseCorpus = (file: string, content: string): E.Either<NlpError, ReadonlyArray<CorpusDocument>> =>
  E.map((docs: ReadonlyArray<CorpusDocument>) => docs.map(({ id, title, text }) => ({ id, title, text })))(
    parseJsonLines(file, content, CorpusLine),
  );

/**
 * Parses a pre-tokenized corpus (`{"id","tokens":[…]}` per line).
 *
 * @example
 * parseTokenizedCorpus("t.jsonl", '{"id":"a","tokens":["x","y"]}');
 * // Right([{ id: "a", tokens: ["x", "y"] }])
 */
export const parseTokenizedCorpus = (
  file: string,
  content: string,
): E.Either<NlpError, ReadonlyArray<TokenizedDocument>> =>
  E.map((docs: ReadonlyArray<TokenizedDocument>) => docs.map(({ id, tokens }) => ({ id, tokens })))(
    parseJsonLines(file, content, TokenizedLine),
  );
