/**
 * "List repository activities" (`GET /repos/{owner}/{repo}/activity`) over each repository's
 * activity log: filters by ref, activity_type, actor and time_period, sorts by time
 * (`direction`, newest first by default) and pages with opaque `before`/`after` cursors and a
 * `Link` header, as GitHub does.
 */
// Only types and request-time helpers come from handlers.ts, so the cycle is harmless.
import { error, mayAct, type H } from "./handlers.js";
import { userJson, type Obj } from "./json.js";
import { repoKey, type FakeActivity } from "./state.js";

const str = (v: unknown): string => String(v);

/** time_period windows; GitHub does not document month/quarter/year exactly, so these are approximations. */
const PERIOD_MS: Readonly<Record<string, number>> = {
  day: 24 * 3600_000,
  week: 7 * 24 * 3600_000,
  month: 30 * 24 * 3600_000,
  quarter: 91 * 24 * 3600_000,
  year: 365 * 24 * 3600_000,
};

const cursorOf = (position: number): string => Buffer.from(`fake-cursor:${position}`).toString("base64url");
const positionOf = (cursor: string | undefined): number | undefined => {
  if (cursor === undefined) return undefined;
  const m = /^fake-cursor:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return m === null ? undefined : Number(m[1]);
};

const nodeId = (id: number): string => Buffer.from(`Activity:${id}`).toString("base64");

const activityJson = (a: FakeActivity): Obj => ({
  id: a.id,
  node_id: nodeId(a.id),
  before: a.before,
  after: a.after,
  ref: a.ref,
  timestamp: a.at,
  activity_type: a.type,
  actor: a.actor === null ? null : userJson(a.actor),
});

/** Newest first; ties (same second) by the order they were recorded. */
const newestFirst = (x: FakeActivity, y: FakeActivity): number => Date.parse(y.at) - Date.parse(x.at) || y.id - x.id;

const listActivities: H = (c, env) => {
  const r = env.state.repos.get(repoKey(str(c.request.params["owner"]), str(c.request.params["repo"])));
  const caller = env.caller;
  // Metadata is readable by anyone on a public repository, by readers (or the installation) on a private one.
  if (r === undefined || caller === undefined || (r.private && !mayAct(caller, r, "read")))
    return error(404, "Not Found");
  const q = env.query;
  const ref = q["ref"] === undefined ? undefined : q["ref"].startsWith("refs/") ? q["ref"] : `refs/heads/${q["ref"]}`;
  const period = q["time_period"] === undefined ? undefined : PERIOD_MS[q["time_period"]];
  const since = period === undefined ? undefined : env.now() - period;
  const sorted = r.activities
    .filter(
      (a) =>
        (ref === undefined || a.ref === ref) &&
        (q["activity_type"] === undefined || a.type === q["activity_type"]) &&
        (q["actor"] === undefined || a.actor?.login.toLowerCase() === q["actor"].toLowerCase()) &&
        (since === undefined || Date.parse(a.at) >= since),
    )
    .sort(newestFirst);
  const all = q["direction"] === "asc" ? sorted.reverse() : sorted;
  const perPage = Math.min(100, Math.max(1, Number(q["per_page"] ?? 30)));
  const after = positionOf(q["after"]);
  const before = positionOf(q["before"]);
  const start = after ?? (before === undefined ? 0 : Math.max(0, before - perPage));
  const end = before !== undefined && after === undefined ? before : start + perPage;
  const keep = Object.entries(q).filter(([k]) => k !== "after" && k !== "before");
  const link = (k: "after" | "before", position: number, rel: string): string => {
    const params = new URLSearchParams([...keep, [k, cursorOf(position)]]);
    return `<${env.base}${env.path}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(end < all.length ? [link("after", end, "next")] : []),
    ...(start > 0 ? [link("before", start, "prev")] : []),
  ];
  return {
    status: 200,
    body: all.slice(start, end).map(activityJson),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
};

export const activityHandlers: Readonly<Record<string, H>> = { "repos/list-activities": listActivities };
