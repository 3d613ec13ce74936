/**
 * Masking secrets out of every text that leaves the bot (SECURITY-CHECKLIST 82): the values of
 * the secrets the bot holds, and the shapes of known credentials even when the bot never held
 * them (a token PR code printed, an installation token minted at run time). Pure. The bot
 * (`createGitHubBot`'s `secrets`) wraps its forge, runner and reporter with these; a bot's own
 * log or summary uses the masker directly.
 */
import * as TE from "fp-ts/TaskEither";
import type { RunResult, RunStatus } from "../../core/model.js";
import type { Forge, LogPage, Reporter, Runner } from "../../core/ports.js";

/**
 * What a masked secret is replaced with.
 *
 * @example
 * maskText(createSecretMasker(["hunter2hunter2"]))("pw=hunter2hunter2"); // "pw=***"
 * @internal */
export const MASK = "***";

/** Shorter values are not masked by value: they would hide ordinary words (shapes still apply). */
const MIN_SECRET_CHARS = 8;

// Known credential shapes: GitHub tokens (classic, OAuth, App user/server/refresh, fine-grained),
// AWS access key ids, and PEM private-key blocks (also a block cut off before its END line).
const SHAPES: ReadonlyArray<RegExp> = [
  /\bgh[pousr]_[A-Za-z0-9]{16,255}/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,255}/g,
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g,
  /-----BEGIN[A-Z ]{0,40} PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]{0,40} PRIVATE KEY-----|$)/g,
];

/**
 * A function that masks one text.
 *
 * @example
 * const mask: Masker = createSecretMasker([stateSecret]);
 */
export type Masker = (text: string) => string;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A masker for `secrets`. Each value is also masked in the forms it is often printed in: with
 * its newlines written as `\n` (how a PEM key travels in one environment variable), JSON-escaped,
 * and line by line (a multi-line key printed in pieces).
 *
 * @example
 * const mask = createSecretMasker([process.env.ML_CHATOPS_STATE_SECRET ?? ""]);
 * mask("token ghp_abcdefghijklmnopqrstuvwxyz0123456789"); // "token ***"
 */
export const createSecretMasker = (secrets: ReadonlyArray<string>): Masker => {
  const forms = new Set<string>();
  for (const s of secrets) {
    const value = s.includes("\\n") ? s.replace(/\\n/g, "\n") : s;
    for (const form of [
      value,
      value.replace(/\n/g, "\\n"),
      JSON.stringify(value).slice(1, -1),
      ...value.split(/\r?\n/).map((l) => l.trim()),
    ]) {
      if (form.length >= MIN_SECRET_CHARS) forms.add(form);
    }
  }
  // Longest first, so a whole key is masked before any of its lines.
  const byValue = [...forms].sort((a, b) => b.length - a.length);
  const values = byValue.length === 0 ? undefined : new RegExp(byValue.map(escapeRegExp).join("|"), "g");
  return (text) => {
    const masked = values === undefined ? text : text.replace(values, MASK);
    return SHAPES.reduce((t, re) => t.replace(re, MASK), masked);
  };
};

/**
 * Every string inside `value` (arrays and plain objects, deeply) masked; other values as they
 * are. Mask a report this way before rendering it for a channel of your own: rendering escapes
 * text, after which a secret's value may no longer match.
 *
 * @example
 * maskDeep(mask, { logTail: ["GITHUB_TOKEN=ghs_0123456789abcdef0123"] }); // { logTail: ["GITHUB_TOKEN=***"] }
 * const summary = mask(renderReport(maskDeep(mask, report)));
 */
export const maskDeep = <A>(mask: Masker, value: A): A => {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return mask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [mask(k), walk(x)]));
    return v;
  };
  return walk(value) as A;
};

/**
 * A Forge whose comments (replies and upserted reports) are masked before they are posted.
 * Every other operation, and any extra field of `forge`, passes through.
 *
 * @example
 * const forge = maskingForge(githubForge, createSecretMasker(secrets));
 * @internal */
export const maskingForge = <F extends Forge>(forge: F, mask: Masker): F => ({
  ...forge,
  reply: (pr, body) => forge.reply(pr, mask(body)),
  upsertComment: (pr, marker, body) => forge.upsertComment(pr, marker, mask(body)),
});

/**
 * A Reporter that masks every string of the report (log tail, status detail, parameters, result,
 * notes) before it is rendered, so escaping can never split a secret past the forge's mask; the
 * check run and any other rendering of the report get the masked report too.
 *
 * @example
 * const reporter = maskingReporter(createCommentReporter(forge), createSecretMasker(secrets));
 * @internal */
export const maskingReporter = (reporter: Reporter, mask: Masker): Reporter => ({
  publish: (report) => reporter.publish(maskDeep(mask, report)),
});

/**
 * A Runner whose log lines, status details and results come back masked, so nothing downstream
 * (reports, the ledger's saved result, the baseline `promote` writes) ever holds what PR code
 * printed of a secret.
 *
 * @example
 * const runner = maskingRunner(createLocalRunner(deps, config), createSecretMasker(secrets));
 * @internal */
export const maskingRunner = (runner: Runner, mask: Masker): Runner => ({
  ...runner,
  status: (h) => TE.map((st: RunStatus) => maskDeep(mask, st))(runner.status(h)),
  logs: (h, cursor) => TE.map((page: LogPage) => ({ ...page, lines: page.lines.map(mask) }))(runner.logs(h, cursor)),
  result: (h) => TE.map((r: RunResult) => maskDeep(mask, r))(runner.result(h)),
});
