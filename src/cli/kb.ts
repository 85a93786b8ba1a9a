import { lintKnowledge } from "../knowledge/load.js";
import { loadPaths } from "../config.js";
import { formatProblem } from "../knowledge/errors.js";
import { usageError } from "./usage.js";

export async function kbCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const dir = rest[0] ?? loadPaths().knowledgeDir;
  if (sub !== "list" && sub !== "lint") throw usageError("kb takes 'list' or 'lint' (optionally a folder)");
  const { articles, problems } = lintKnowledge(dir);
  if (sub === "list") {
    for (const a of articles) {
      const events = a.events.map((e) => `${e.id}/${e.source}`).join(" ") || "-";
      process.stdout.write(`${a.id.padEnd(12)} ${events.padEnd(26)} ${a.probe.kind.padEnd(5)} ${a.title}\n`);
    }
  } else {
    process.stdout.write(`${articles.length} article(s) checked in ${dir}\n`);
  }
  for (const p of problems) process.stderr.write(`error: ${formatProblem(p)}\n`);
  if (problems.length) process.stderr.write(`${problems.length} problem(s) found\n`);
  return problems.length ? 1 : 0;
}
