/**
 * schema/result.json and the io-ts codec say the same: every fixture, good or bad, is accepted
 * by both or refused by both, and the schema's caps are RESULT_LIMITS (SECURITY-CHECKLIST 81).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as E from "fp-ts/Either";
import Ajv2020Mod from "ajv/dist/2020.js";
import { RESULT_LIMITS, RESULT_NAME_PATTERN, decodeExperimentResult } from "../../src/core/result.js";
import { RELATIVE_PATH_PATTERN } from "../../src/core/relative-path.js";
import { BAD_RESULTS, GOOD_RESULTS } from "./result-fixtures.js";

type Json = { readonly [k: string]: Json } & Record<string, unknown>;
const schema = JSON.parse(readFileSync(new URL("../../schema/result.json", import.meta.url), "utf8")) as Json;
const ajv = new Ajv2020Mod.default({ strict: true, allErrors: false });
const validate = ajv.compile(schema);

const at = (path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], schema);

describe("schema/result.json agrees with the codec", () => {
  for (const c of GOOD_RESULTS) {
    it(`accepts: ${c.name}`, () => {
      assert.ok(validate(c.value), JSON.stringify(validate.errors));
      assert.ok(E.isRight(decodeExperimentResult(c.value)));
    });
  }
  for (const c of BAD_RESULTS) {
    it(`refuses: ${c.name}`, () => {
      assert.equal(validate(c.value), false, "the schema refuses it");
      const r = decodeExperimentResult(c.value);
      assert.ok(E.isLeft(r) && r.left === c.error, "the codec refuses it for the named reason");
    });
  }

  it("its caps are RESULT_LIMITS", () => {
    const L = RESULT_LIMITS;
    const d = ["$defs"];
    assert.deepEqual(
      [
        at(["properties", "metrics", "maxProperties"]),
        at(["properties", "rankings", "maxProperties"]),
        at([...d, "ranking", "maxProperties"]),
        at([...d, "ranking", "additionalProperties", "maxItems"]),
        at(["properties", "tables", "maxItems"]),
        at([...d, "table", "properties", "columns", "maxItems"]),
        at([...d, "table", "properties", "rows", "maxItems"]),
        at(["properties", "images", "maxItems"]),
        at([...d, "text", "maxLength"]),
        at([...d, "image", "properties", "path", "maxLength"]),
        at(["properties", "notes", "maxLength"]),
      ],
      [
        L.maxMetrics,
        L.maxRankings,
        L.maxRankedLists,
        L.maxItemsPerList,
        L.maxTables,
        L.maxColumns,
        L.maxRows,
        L.maxImages,
        L.maxTextLength,
        L.maxPathLength,
        L.maxNotesLength,
      ],
    );
  });

  it("its patterns are the codec's", () => {
    assert.equal(at(["properties", "metrics", "propertyNames", "pattern"]), RESULT_NAME_PATTERN);
    assert.equal(at(["properties", "rankings", "propertyNames", "pattern"]), RESULT_NAME_PATTERN);
    assert.equal(at(["$defs", "image", "properties", "path", "pattern"]), RELATIVE_PATH_PATTERN);
  });

  it("ships in the package as ml-chatops/schema/result.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      readonly files: ReadonlyArray<string>;
      readonly exports: Readonly<Record<string, unknown>>;
    };
    assert.ok(pkg.files.includes("schema"), "package.json files lists schema");
    assert.equal(pkg.exports["./schema/result.json"], "./schema/result.json");
  });
});
