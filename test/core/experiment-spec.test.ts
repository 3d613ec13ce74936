/**
 * The codec of a declared experiment: each field's error is one line naming it, unknown keys are
 * refused, ranges and enums are checked, param keys must be identifiers; parameters are checked
 * before approval and reach the command only as environment variables (SECURITY-CHECKLIST 68, 69).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { decodeExperimentSpecs, type ExperimentSpec } from "../../src/core/experiment-spec.js";
import { checkParams, paramsToEnv } from "../../src/core/experiment-params.js";
import { createDeclaredExperiment } from "../../src/core/declared-experiment.js";

const TRAIN = {
  command: ["python3", "train.py"],
  params: {
    c: { type: "number", default: 1.0, min: 0.00001, max: 1000 },
    epochs: { type: "integer", default: 5, min: 1, max: 100 },
    model: { type: "enum", values: ["logreg", "svm"], default: "logreg" },
    tag: { type: "string", pattern: "^[a-z0-9-]{1,32}$", default: "x" },
  },
  result: "out/result.json",
  metrics: { accuracy: { goal: "max" }, loss: { goal: "min", threshold: 0.001 } },
  primary: "accuracy",
  timeout: "30m",
};

const decodeTrain = (over: Record<string, unknown>): E.Either<string, unknown> =>
  decodeExperimentSpecs({ train: { ...TRAIN, ...over } });
const leftOf = (r: E.Either<string, unknown>): string => {
  assert.ok(E.isLeft(r), `expected a Left, got ${JSON.stringify(r)}`);
  return r.left;
};

describe("decodeExperimentSpecs: the issue's example", () => {
  it("decodes every field, with the threshold defaulting to 0 and the timeout in ms", () => {
    const r = decodeExperimentSpecs({ train: TRAIN });
    assert.ok(E.isRight(r), E.isLeft(r) ? r.left : "");
    const spec = r.right["train"];
    assert.deepEqual(spec, {
      command: ["python3", "train.py"],
      params: TRAIN.params,
      result: "out/result.json",
      metrics: { accuracy: { goal: "max", threshold: 0 }, loss: { goal: "min", threshold: 0.001 } },
      primary: "accuracy",
      timeoutMs: 30 * 60_000,
    });
  });

  it("a single declared metric is the primary without saying so; YAML scalars in enum values become text", () => {
    const r = decodeExperimentSpecs({
      t: {
        command: ["x"],
        result: "r.json",
        metrics: { f1: { goal: "max" } },
        params: { b: { type: "enum", values: [true, false], default: true } },
      },
    });
    assert.ok(E.isRight(r), E.isLeft(r) ? r.left : "");
    assert.equal(r.right["t"]?.primary, "f1");
    assert.deepEqual(r.right["t"]?.params["b"], { type: "enum", values: ["true", "false"], default: "true" });
  });
});

describe("decodeExperimentSpecs: each field's error names the field in one line", () => {
  const cases: ReadonlyArray<[string, unknown, string]> = [
    ["not a mapping", [], "experiments: expected an object of at most 20 experiments, got an array of 0"],
    ["no experiment at all", {}, "experiments: expected at least one experiment"],
    [
      "a bad experiment id",
      { Train: TRAIN },
      "experiments.Train: not a valid name (a-z first, then a-z 0-9 -, at most 64)",
    ],
    [
      "an unknown key (a typo)",
      { train: { ...TRAIN, metric: {} } },
      "experiments.train.metric: unknown field (known: command, params, result, metrics, primary, timeout, description, network, mounts)",
    ],
    [
      "a command that is a string (a shell line)",
      { train: { ...TRAIN, command: "python3 train.py" } },
      'experiments.train.command: expected an array of at most 64 argv items, got "python3 train.py"',
    ],
    [
      "an empty command",
      { train: { ...TRAIN, command: [] } },
      'experiments.train.command: expected a non-empty argv list, e.g. ["python3", "train.py"]',
    ],
    [
      "a command item that is a number",
      { train: { ...TRAIN, command: ["python3", 3] } },
      "experiments.train.command[1]: expected a string of 1-1000 characters, got 3",
    ],
    [
      "no result path",
      { train: { ...TRAIN, result: undefined } },
      "experiments.train.result: expected a string of 1-300 characters, got nothing",
    ],
    [
      "an absolute result path",
      { train: { ...TRAIN, result: "/tmp/r.json" } },
      'experiments.train.result: expected a path relative to the checkout (no leading /, no .., no backslash), got "/tmp/r.json"',
    ],
    [
      "a result path that climbs out",
      { train: { ...TRAIN, result: "out/../../r.json" } },
      'experiments.train.result: expected a path relative to the checkout (no leading /, no .., no backslash), got "out/../../r.json"',
    ],
    [
      "a min that is text",
      { train: { ...TRAIN, params: { c: { type: "number", min: "x" } } } },
      'experiments.train.params.c.min: expected a finite number, got "x"',
    ],
    [
      "an integer min that is fractional",
      { train: { ...TRAIN, params: { e: { type: "integer", min: 1.5 } } } },
      "experiments.train.params.e.min: expected an integer, got 1.5",
    ],
    [
      "min above max",
      { train: { ...TRAIN, params: { c: { type: "number", min: 2, max: 1 } } } },
      "experiments.train.params.c.max: must not be below min (2)",
    ],
    [
      "a default out of range",
      { train: { ...TRAIN, params: { c: { type: "number", min: 0, max: 1, default: 2 } } } },
      "experiments.train.params.c.default: 2 is outside [0, 1]",
    ],
    [
      "an unknown parameter type",
      { train: { ...TRAIN, params: { c: { type: "float" } } } },
      'experiments.train.params.c.type: expected one of number, integer, enum, string, got "float"',
    ],
    [
      "a key that belongs to another type",
      { train: { ...TRAIN, params: { c: { type: "number", values: [1] } } } },
      "experiments.train.params.c.values: unknown field (known: type, default, min, max, description)",
    ],
    [
      "an enum without values",
      { train: { ...TRAIN, params: { m: { type: "enum", values: [] } } } },
      "experiments.train.params.m.values: expected at least one value",
    ],
    [
      "an enum default not among the values",
      { train: { ...TRAIN, params: { m: { type: "enum", values: ["a"], default: "b" } } } },
      'experiments.train.params.m.default: "b" is not one of the values',
    ],
    [
      "repeated enum values",
      { train: { ...TRAIN, params: { m: { type: "enum", values: ["a", "a"] } } } },
      "experiments.train.params.m.values: values repeat",
    ],
    [
      "a pattern that does not compile",
      { train: { ...TRAIN, params: { t: { type: "string", pattern: "([a-z" } } } },
      "experiments.train.params.t.pattern: not a valid regular expression",
    ],
    [
      "a default that misses the pattern",
      { train: { ...TRAIN, params: { t: { type: "string", pattern: "^[a-z]+$", default: "X" } } } },
      'experiments.train.params.t.default: "X" does not match the pattern',
    ],
    [
      "a param key that is not an identifier",
      { train: { ...TRAIN, params: { "max-df": { type: "number" } } } },
      "experiments.train.params.max-df: not a valid name (a lower-case identifier: a-z first, then a-z 0-9 _, at most 32; not experiment, sha, force)",
    ],
    [
      "a param key the pipeline reserves",
      { train: { ...TRAIN, params: { sha: { type: "string" } } } },
      "experiments.train.params.sha: not a valid name (a lower-case identifier: a-z first, then a-z 0-9 _, at most 32; not experiment, sha, force)",
    ],
    [
      "a goal that is neither max nor min",
      { train: { ...TRAIN, metrics: { accuracy: { goal: "up" } } } },
      'experiments.train.metrics.accuracy.goal: expected max or min, got "up"',
    ],
    [
      "a negative threshold",
      { train: { ...TRAIN, metrics: { accuracy: { goal: "max", threshold: -1 } } } },
      "experiments.train.metrics.accuracy.threshold: expected a number >= 0, got -1",
    ],
    [
      "a primary metric not declared",
      { train: { ...TRAIN, primary: "acc" } },
      'experiments.train.primary: "acc" is not a declared metric (declared: accuracy, loss)',
    ],
    [
      "no primary with several metrics",
      { train: { ...TRAIN, primary: undefined } },
      "experiments.train.primary: required when several metrics are declared (one of accuracy, loss)",
    ],
    [
      "a timeout without a unit",
      { train: { ...TRAIN, timeout: "30" } },
      'experiments.train.timeout: expected a duration like 90s, 30m or 2h, got "30"',
    ],
    [
      "a timeout above a day",
      { train: { ...TRAIN, timeout: "25h" } },
      "experiments.train.timeout: at most 24h, got 25h",
    ],
  ];
  for (const [name, value, error] of cases) {
    it(name, () => {
      const message = leftOf(decodeExperimentSpecs(value));
      assert.equal(message, error);
      assert.ok(!message.includes("\n"));
    });
  }

  it("an override helper case: a number where argv text is needed", () => {
    assert.equal(
      leftOf(decodeTrain({ command: [["python3"]] })),
      "experiments.train.command[0]: expected a string of 1-1000 characters, got an array of 1",
    );
  });
});

describe("checkParams: before approval (check 68)", () => {
  const spec = E.getOrElseW((e: string) => assert.fail(e))(decodeExperimentSpecs({ train: TRAIN }))[
    "train"
  ] as ExperimentSpec;

  it("fills in defaults and writes numbers canonically", () => {
    assert.deepEqual(checkParams(spec.params, {}), E.right({ c: "1", epochs: "5", model: "logreg", tag: "x" }));
    assert.deepEqual(
      checkParams(spec.params, { c: "0.2", epochs: "7", model: "svm", tag: "run-2" }),
      E.right({ c: "0.2", epochs: "7", model: "svm", tag: "run-2" }),
    );
    assert.deepEqual(
      checkParams(spec.params, { c: "1e-3" }),
      E.right({ c: "0.001", epochs: "5", model: "logreg", tag: "x" }),
    );
  });

  const bad: ReadonlyArray<[string, Record<string, string>, string]> = [
    ["an unknown key", { lr: "0.1" }, 'unknown parameter "lr" (allowed: c, epochs, model, tag)'],
    ["text for a number", { c: "abc" }, 'c: expected a number from 0.00001 to 1000, got "abc"'],
    ["a number below min", { c: "0" }, 'c: expected a number from 0.00001 to 1000, got "0"'],
    ["a number above max", { c: "1001" }, 'c: expected a number from 0.00001 to 1000, got "1001"'],
    ["a fraction for an integer", { epochs: "2.5" }, 'epochs: expected an integer from 1 to 100, got "2.5"'],
    ["hex for an integer", { epochs: "0x10" }, 'epochs: expected an integer from 1 to 100, got "0x10"'],
    ["Infinity", { c: "Infinity" }, 'c: expected a number from 0.00001 to 1000, got "Infinity"'],
    ["a value not in the enum", { model: "rf" }, 'model: expected one of logreg, svm, got "rf"'],
    ["a value that misses the pattern", { tag: "UPPER" }, 'tag: expected text matching ^[a-z0-9-]{1,32}$, got "UPPER"'],
  ];
  for (const [name, args, detail] of bad) {
    it(`refuses ${name} with InvalidParams naming the key`, () => {
      const r = checkParams(spec.params, args);
      assert.ok(E.isLeft(r));
      assert.equal(r.left._tag, "InvalidParams");
      assert.equal(r.left._tag === "InvalidParams" ? r.left.detail : "", detail);
    });
  }

  it("refuses a missing parameter that has no default", () => {
    const r = checkParams({ seed: { type: "integer" } }, {});
    assert.ok(E.isLeft(r) && r.left._tag === "InvalidParams");
    assert.equal(
      r.left._tag === "InvalidParams" ? r.left.detail : "",
      "seed: required (an integer); it has no default",
    );
  });
});

describe("parameters as environment variables (check 69)", () => {
  it("each as ML_CHATOPS_PARAM_<KEY>, all as ML_CHATOPS_PARAMS_JSON with numbers typed", () => {
    const env = paramsToEnv(TRAIN.params as ExperimentSpec["params"], {
      c: "0.2",
      epochs: "7",
      model: "svm",
      tag: "$(id); rm -rf /",
    });
    assert.deepEqual(env, {
      ML_CHATOPS_PARAM_C: "0.2",
      ML_CHATOPS_PARAM_EPOCHS: "7",
      ML_CHATOPS_PARAM_MODEL: "svm",
      ML_CHATOPS_PARAM_TAG: "$(id); rm -rf /",
      ML_CHATOPS_PARAMS_JSON: '{"c":0.2,"epochs":7,"model":"svm","tag":"$(id); rm -rf /"}',
    });
  });

  it("a declared experiment carries command, env, result path, goals, primary and timeout; argv never holds a parameter", () => {
    const spec = E.getOrElseW((e: string) => assert.fail(e))(decodeExperimentSpecs({ train: TRAIN }))[
      "train"
    ] as ExperimentSpec;
    const x = createDeclaredExperiment("train", spec);
    assert.deepEqual(
      [x.id, x.command, x.resultPath, x.primary, x.timeoutMs],
      ["train", ["python3", "train.py"], "out/result.json", "accuracy", 1_800_000],
    );
    assert.deepEqual(x.metrics, { accuracy: { goal: "max", threshold: 0 }, loss: { goal: "min", threshold: 0.001 } });
    const params = x.parseParams({ c: "0.2" });
    assert.ok(E.isRight(params));
    assert.equal(x.paramEnv(params.right)["ML_CHATOPS_PARAM_C"], "0.2");
    assert.ok(!x.command.some((a) => a.includes("0.2")));
    assert.deepEqual(
      x.params.map((p) => [p.key, p.default]),
      [
        ["c", "1"],
        ["epochs", "5"],
        ["model", "logreg"],
        ["tag", "x"],
      ],
      "the help reply lists each parameter with its default",
    );
  });
});
