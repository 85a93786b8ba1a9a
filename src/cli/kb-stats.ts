// `exchange-bot kb stats [--json]`: per article, from the feedback trail in DATA_DIR (as the bot finds it):
// how often it answered and how, the votes, the reasons given, probes and their outcomes, last seen.
import { join } from "node:path";
import { loadPaths } from "../config.js";
import { FeedbackTally, type ArticleStats } from "../feedback/tally.js";
import { lintKnowledge } from "../knowledge/load.js";
import { FEEDBACK_FILE, readFeedbackFile } from "../state/feedback-file.js";
import { usageError } from "./usage.js";

function oneLine(s: string, max = 200): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function human(s: ArticleStats, title: string | undefined): string {
  const by = Object.entries(s.answeredBy)
    .filter(([, n]) => n > 0)
    .map(([via, n]) => `${via} ${n}`)
    .join(", ");
  const outcomes = Object.entries(s.probes.outcomes)
    .map(([o, n]) => `${o} ${n}`)
    .join(", ");
  const lines = [
    `${s.id}${title ? `  ${title}` : "  (not in the knowledge base)"}`,
    `  answered ${s.answered}${by ? ` (${by})` : ""} · helpful ${s.helpful} · not helpful ${s.unhelpful} · probes ${s.probes.total}${outcomes ? ` (${outcomes})` : ""} · last seen ${s.lastSeen ?? "never"}`,
    ...s.reasons.map((r) => `  not helpful because: ${oneLine(r)}`),
  ];
  return lines.join("\n");
}

export async function kbStatsCommand(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const other = args.find((a) => a !== "--json");
  if (other !== undefined) throw usageError(`kb stats: unexpected argument '${other}' (it takes only --json; DATA_DIR says where the data is)`);
  const paths = loadPaths();
  const path = join(paths.dataDir, FEEDBACK_FILE);
  const { records, problems } = readFeedbackFile(path);
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
  // Articles come from the knowledge base the bot would load; a broken base still leaves the trail's ids.
  const titles = new Map(lintKnowledge(paths.knowledgeDir).articles.map((a) => [a.id, a.title]));
  const stats = new FeedbackTally(records).stats(titles.keys());
  if (json) {
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  }
  process.stdout.write(`${records.length} record${records.length === 1 ? "" : "s"} in ${path}\n\n`);
  process.stdout.write(`${stats.map((s) => human(s, titles.get(s.id))).join("\n\n")}\n`);
  return 0;
}
