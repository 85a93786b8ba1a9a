// Where a terminal probe's audit record goes: where the bot's go, so one trail holds every probe whoever asked.
// With REDIS_URL, the shared stream PREFIX:audit every replica writes; otherwise one JSON line appended to
// DATA_DIR/audit.jsonl. Not stdout (the result, read by tools) and not stderr: Icinga 2 and several Nagios
// setups merge stderr into a check's output. Only a failure to write the record is said on stderr.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { envSetting } from "../paths.js";
import type { AuditEntry } from "../services/audit.js";

export const CLI_AUDIT_FILE = "audit.jsonl";

export async function writeCliAudit(entries: readonly AuditEntry[], dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!entries.length) return;
  try {
    const url = envSetting(env, "REDIS_URL");
    if (!url) {
      mkdirSync(dataDir, { recursive: true });
      // One write for the lot: appended whole, as the bot's feedback file is.
      appendFileSync(join(dataDir, CLI_AUDIT_FILE), entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
      return;
    }
    // Loaded only here: a probe without Redis stays a fast start (test/probe/cli-cold-start.test.ts).
    const { connectRedis, DEFAULT_REDIS_PREFIX } = await import("../state/open.js");
    const { RedisStreamSink } = await import("../state/redis-stores.js");
    const redis = await connectRedis(url, { prefix: envSetting(env, "REDIS_PREFIX") ?? DEFAULT_REDIS_PREFIX });
    try {
      await new RedisStreamSink(redis, "audit").appendAll(entries.map((e) => ({ ...e })));
    } finally {
      redis.disconnect();
    }
  } catch (err) {
    process.stderr.write(`exchange-bot: probe audit record not written: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
