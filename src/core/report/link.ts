/**
 * One link of the report. The URL comes from a runner's config or a service's answer, so it is
 * checked (`safeUrl`: http(s) only, nothing that can end the link or start HTML) and the label
 * is escaped; a URL that fails the check is named as omitted, never rendered.
 *
 * @internal
 */
import { escapeMarkdown, safeUrl, shorten } from "./escape.js";

/** @internal A Markdown link if the URL is safe, otherwise the label alone. */
export const renderLink = (label: string, url: string): string => {
  const safe = safeUrl(url);
  const text = escapeMarkdown(shorten(label, 60));
  return safe === undefined ? `${text} (link omitted: not an http(s) URL)` : `[${text}](<${safe}>)`;
};
