/**
 * Renders a report as GitHub shows it, in a real browser: GitHub-flavoured Markdown (marked, gfm)
 * with `mermaid` code blocks drawn by Mermaid, in headless Debian Chromium driven by
 * playwright-core. Used by the visual test and by `npm run screenshot`.
 *
 * What it measures on the rendered page, so tests can assert on it:
 * - every Mermaid block: whether it rendered, or Mermaid's error;
 * - the text labels of each chart's axes, with their bounding boxes, and the pairs that overlap;
 * - how many bars and lines each xychart drew;
 * - the tables, and the page's total height.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { chromium, type Browser } from "playwright-core";

const require = createRequire(import.meta.url);

/** Where Debian puts Chromium; override with ML_CHATOPS_CHROMIUM. */
export const chromiumPath = (): string | undefined => {
  const candidates = [process.env["ML_CHATOPS_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
};

/** One axis label as drawn. */
export type DrawnLabel = {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

/** What the browser drew for one Mermaid block. */
export type DrawnChart = {
  readonly ok: boolean;
  readonly error?: string | undefined;
  readonly kind: string;
  readonly labels: ReadonlyArray<DrawnLabel>;
  /** Label pairs of the same axis whose boxes overlap. */
  readonly overlaps: ReadonlyArray<readonly [string, string]>;
  /** Categories on the x axis (xychart) or slices (pie). */
  readonly categories: number;
  /** Bars drawn (xychart `bar` series), and lines drawn (xychart `line` series). */
  readonly bars: number;
  readonly lines: number;
};

/** The rendered page, measured. */
export type RenderedReport = {
  readonly charts: ReadonlyArray<DrawnChart>;
  readonly tables: number;
  readonly tableHeaders: ReadonlyArray<ReadonlyArray<string>>;
  readonly heightPx: number;
  readonly text: string;
};

// GitHub's comment column is about 780 px wide; its sanitizer keeps <details>, tables and code.
const PAGE_CSS = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; width: 780px; margin: 16px; color: #1f2328; }
table { border-collapse: collapse; display: block; overflow: auto; max-width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
code, pre { font-family: ui-monospace, monospace; font-size: 12px; background: #f6f8fa; }
pre { padding: 12px; overflow: auto; }
.mermaid { background: #fff; }
`;

/** The Markdown as HTML, `mermaid` fences turned into Mermaid's containers; `<details>` stay as written (closed unless `open`), as on GitHub. */
export const toHtml = (markdown: string): string => {
  const renderer = new marked.Renderer();
  const code = renderer.code.bind(renderer);
  renderer.code = (token) =>
    token.lang === "mermaid" ? `<pre class="mermaid">${escapeHtml(token.text)}</pre>` : code(token);
  const body = marked.parse(markdown, { gfm: true, async: false, renderer });
  return `<!doctype html><html><head><meta charset="utf-8"><style>${PAGE_CSS}</style></head><body>${body}</body></html>`;
};

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const mermaidScript = (): string => join(dirname(require.resolve("mermaid/package.json")), "dist", "mermaid.min.js");

/**
 * Opens one headless Chromium for several renders.
 *
 * @example
 * const r = await openRenderer(); const page = await r.render(markdown, "/tmp/x.png"); await r.close();
 */
export const openRenderer = async (): Promise<{
  readonly render: (markdown: string, screenshotPath?: string) => Promise<RenderedReport>;
  readonly close: () => Promise<void>;
}> => {
  const executablePath = chromiumPath();
  if (executablePath === undefined)
    throw new Error("no Chromium found: apt-get install chromium (or set ML_CHATOPS_CHROMIUM)");
  const browser: Browser = await chromium.launch({
    executablePath,
    headless: true,
    // Root in CI, and a closed network: no sandbox, no background connections.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const render = async (markdown: string, screenshotPath?: string): Promise<RenderedReport> => {
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    try {
      await page.route("**/*", (route) =>
        route.request().url().startsWith("data:") ? route.continue() : route.abort(),
      );
      await page.setContent(toHtml(markdown), { waitUntil: "load" });
      await page.addScriptTag({ path: mermaidScript() });
      const measured = (await page.evaluate(MEASURE_IN_PAGE)) as RenderedReport;
      if (screenshotPath !== undefined) await page.screenshot({ path: screenshotPath, fullPage: true });
      return measured;
    } finally {
      await page.close();
    }
  };
  return { render, close: () => browser.close() };
};

// Runs in the page (plain JavaScript, so no DOM types or bundler helpers leak in): draws every
// Mermaid block one by one and measures what it drew.
const MEASURE_IN_PAGE = String.raw`(async () => {
  const mermaid = globalThis.mermaid;
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const charts = [];
  const blocks = Array.from(document.querySelectorAll("pre.mermaid"));
  for (const [i, block] of blocks.entries()) {
    const source = block.textContent || "";
    const kind = source.trim().split(/\s/)[0] || "";
    try {
      const { svg } = await mermaid.render("chart-" + i, source);
      const holder = document.createElement("div");
      holder.className = "mermaid";
      holder.innerHTML = svg;
      block.replaceWith(holder);
      // Tick labels of each axis, and the axis and chart titles together, must not collide.
      const axes = Array.from(holder.querySelectorAll("g.bottom-axis, g.left-axis, g.top-axis, g.right-axis"));
      const sets = axes.length > 0
        ? [...axes.map((g) => Array.from(g.querySelectorAll("g.label text"))), Array.from(holder.querySelectorAll("g.chart-title text, g.title text"))]
        : [Array.from(holder.querySelectorAll("text"))];
      const labels = [];
      const overlaps = [];
      for (const set of sets) {
        const boxes = set.map((t) => ({ text: t.textContent || "", box: t.getBoundingClientRect() })).filter((x) => x.box.width > 0);
        for (const b of boxes) labels.push({ text: b.text, x: b.box.x, y: b.box.y, width: b.box.width, height: b.box.height });
        for (let a = 0; a < boxes.length; a++)
          for (let c = a + 1; c < boxes.length; c++) if (overlap(boxes[a].box, boxes[c].box)) overlaps.push([boxes[a].text, boxes[c].text]);
      }
      const xAxis = holder.querySelector("g.bottom-axis");
      const categories = xAxis !== null ? xAxis.querySelectorAll("g.label text").length : 0;
      const bars = holder.querySelectorAll("g[class^='bar-plot'] rect").length;
      const lines = holder.querySelectorAll("g[class^='line-plot'] path").length;
      charts.push({ ok: true, kind, labels, overlaps, categories, bars, lines });
    } catch (e) {
      charts.push({ ok: false, kind, error: e instanceof Error ? e.message : String(e), labels: [], overlaps: [], categories: 0, bars: 0, lines: 0 });
    }
  }
  const tables = Array.from(document.querySelectorAll("table"));
  return {
    charts,
    tables: tables.length,
    tableHeaders: tables.map((t) => Array.from(t.querySelectorAll("th")).map((h) => h.textContent || "")),
    heightPx: document.documentElement.scrollHeight,
    text: document.body.innerText,
  };
})()`;
