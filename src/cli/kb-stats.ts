// `exchange-bot kb stats [--json]`: per article, from the feedback trail where the bot keeps it (the shared
// store on Redis when REDIS_URL is set, else the file in DATA_DIR): how often it answered and how, the
// votes, the reasons given, probes and their outcomes, last seen.
import { join } from "node:path";
import { loadPaths } from "../config.js";
import type { FeedbackRecord } from "../feedback/records.js";
import { FeedbackTally, type ArticleStats } from "../feedback/tally.js";
import { lintKnowledge } from "../knowledge/load.js";
import { envSetting } from "../paths.js";
import { FEEDBACK_FILE, readFeedbackFile } from "../state/feedback-file.js";
import { FEEDBACK_STREAM, RedisFeedbackStore } from "../state/feedback-redis.js";
import { connectRedis, DEFAULT_REDIS_PREFIX, redactRedisUrl, RedisUnavailableError } from "../state/open.js";
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

interface Trail {
  records: FeedbackRecord[];
  problems: string[];
  /** Where the records were read, for people. */
  source: string;
}

/** The trail the bot writes: Redis when REDIS_URL is set (as every replica shares it), else DATA_DIR's file. */
async function readTrail(dataDir: string, env: NodeJS.ProcessEnv): Promise<Trail> {
  const url = envSetting(env, "REDIS_URL");
  if (!url) {
    const path = join(dataDir, FEEDBACK_FILE);
    return { ...readFeedbackFile(path), source: path };
  }
  const prefix = envSetting(env, "REDIS_PREFIX") ?? DEFAULT_REDIS_PREFIX;
  const redis = await connectRedis(url, { prefix, commandTimeoutMs: 10_000 });
  try {
    const read = await new RedisFeedbackStore(redis).records();
    return { ...read, source: `Redis at REDIS_URL (${redactRedisUrl(url)}), stream ${prefix}${FEEDBACK_STREAM}` };
  } finally {
    redis.disconnect();
  }
}

export async function kbStatsCommand(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const other = args.find((a) => a !== "--json");
  if (other !== undefined) throw usageError(`kb stats: unexpected argument '${other}' (it takes only --json; DATA_DIR says where the data is)`);
  const paths = loadPaths();
  let trail: Trail;
  try {
    trail = await readTrail(paths.dataDir, process.env);
  } catch (err) {
    // Redis named but not answering: say so, rather than print another store's numbers.
    if (!(err instanceof RedisUnavailableError)) throw err;
    process.stderr.write(`kb stats: ${err.message}\n`);
    return 1;
  }
  const { records, problems, source } = trail;
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
  // Articles come from the knowledge base the bot would load; a broken base still leaves the trail's ids.
  const titles = new Map(lintKnowledge(paths.knowledgeDir).articles.map((a) => [a.id, a.title]));
  const stats = new FeedbackTally(records).stats(titles.keys());
  const count = `${records.length} record${records.length === 1 ? "" : "s"} in ${source}`;
  if (json) {
    // stdout stays one JSON array; where it came from goes to stderr.
    process.stderr.write(`kb stats: ${count}\n`);
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  }
  process.stdout.write(`${count}\n\n`);
  process.stdout.write(`${stats.map((s) => human(s, titles.get(s.id))).join("\n\n")}\n`);
  return 0;
}
