// `exchange-bot kb list | lint [DIR] | new ID [--from FILE] [--title TEXT] | stats [--json]`.
import { statSync } from "node:fs";
import { lintKnowledge } from "../knowledge/load.js";
import { loadPaths } from "../config.js";
import { formatProblem } from "../knowledge/errors.js";
import { usageError } from "./usage.js";
import { families, PRODUCT_LABEL } from "../knowledge/browse.js";

const SUBCOMMANDS = "kb takes 'list', 'lint' (optionally a folder), 'new ID [--from FILE]' or 'stats [--json]'";

function pathKind(path: string): "folder" | "file" | "missing" {
  try {
    return statSync(path).isDirectory() ? "folder" : "file";
  } catch {
    return "missing";
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export async function kbCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "new") return (await import("./kb-new.js")).kbNewCommand(rest);
  if (sub === "stats") return (await import("./kb-stats.js")).kbStatsCommand(rest);
  if (sub !== "list" && sub !== "lint") throw usageError(SUBCOMMANDS);
  if (rest.length > 1 || rest[0]?.startsWith("-")) throw usageError(`kb ${sub} takes at most one folder`);
  const dir = rest[0] ?? loadPaths().knowledgeDir;
  const kind = pathKind(dir);
  if (kind !== "folder") throw usageError(`${dir}: ${kind === "file" ? "is a file, not a folder of articles" : "no such folder"}`, { selfExplained: true });
  const { articles, problems, files } = lintKnowledge(dir);
  if (sub === "list") {
    // Grouped by product and family, a "# " heading before each group; columns as wide as the longest value.
    const idWidth = Math.max(12, ...articles.map((a) => a.id.length));
    const eventsOf = (a: (typeof articles)[number]) => a.events.map((e) => `${e.id}/${e.source}`).join(" ") || "-";
    const evWidth = Math.max(26, ...articles.map((a) => eventsOf(a).length));
    const drafts = articles.filter((a) => a.draft === true);
    const groups = [...families(articles), ...(drafts.length ? [{ product: "draft", category: "not answered yet", articles: drafts }] : [])];
    for (const f of groups) {
      process.stdout.write(`# ${PRODUCT_LABEL[f.product] ?? f.product} · ${f.category} (${f.articles.length})\n`);
      for (const a of f.articles) process.stdout.write(`${a.id.padEnd(idWidth)} ${eventsOf(a).padEnd(evWidth)} ${a.probe.kind.padEnd(5)} ${a.title}\n`);
    }
  } else {
    const badFiles = new Set(problems.map((p) => p.file)).size;
    process.stdout.write(
      `${plural(files, "file")} checked in ${dir}: ${plural(articles.length, "article")} loaded` +
        (files > articles.length ? `, ${files - articles.length} did not load` : "") +
        (problems.length ? `; ${plural(problems.length, "problem")} in ${plural(badFiles, "file")}` : "; no problems") +
        "\n",
    );
  }
  for (const p of problems) process.stderr.write(`error: ${formatProblem(p)}\n`);
  if (problems.length) process.stderr.write(`${plural(problems.length, "problem")} found\n`);
  return problems.length ? 1 : 0;
}
