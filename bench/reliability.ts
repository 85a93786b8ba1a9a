// Reliability figures for the README: the load scenario of test/reliability (10,000 signed events through the
// real bot process while the Web API stand-in answers 10% of calls with 429 + Retry-After and 1% with 500).
import { loadavg } from "node:os";
import { DEFAULT_LOAD, runLoad } from "../testkit/load-scenario.js";
import { ms, table } from "../testkit/stats.js";

export async function run(): Promise<void> {
  const o = DEFAULT_LOAD;
  const { figures: f, problems } = await runLoad(o);
  const mb = (x: number): string => `${x.toFixed(0)} MB`;
  console.log(
    table(
      ["measure", "figure"],
      [
        ["events sent (signed, real receiver)", `${f.sent}: ${f.pastes} pastes, ${f.chatter} chatter, ${f.mentions} app_mentions of pastes, ${f.retries} retries (X-Slack-Retry-Num), ${f.duplicates} duplicate event_ids`],
        ["acked with HTTP 200", `${f.acked} in ${f.sendSeconds.toFixed(1)} s (${Math.round(f.sent / f.sendSeconds)} events/s, ${o.concurrency} in flight); ack p50 ${ms(f.ackP50Ms)} ms, p99 ${ms(f.ackP99Ms)} ms, max ${ms(f.ackMaxMs)} ms`],
        ["pastes answered exactly once", `${f.answeredOnce} of ${f.pastes} (${f.lost} lost, ${f.doubled} doubled)`],
        ["chatter answered", String(f.chatterAnswered)],
        ["retries / duplicates answered a second time", String(f.doubled)],
        ["chat.postMessage / chat.postEphemeral calls", `${f.calls}: ${f.ratelimited} answered 429 + Retry-After ${o.retryAfter} s and survived, ${f.http500} answered 500 and retried; ${f.botPosts} posts landed (${f.expectedPosts} expected), ${f.warnings} private password warnings`],
        ["last answer posted after", `${f.wallSeconds.toFixed(1)} s (each 429 pauses the bot's Web API queue for Retry-After)`],
        ["bot RSS", `start ${mb(f.rssStartMb)}, after each of ${o.rounds} rounds ${f.rssRoundsMb.map(mb).join(" / ")}, peak ${mb(f.rssPeakMb)}, end ${mb(f.rssEndMb)}`],
      ],
    ),
  );
  console.log(`\nBot: \`exchange-bot start\` (HTTP mode, production retry policy) in its own process; sender and Web API stand-in in the bench process; loopback, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end. Fault seed ${o.seed}.`);
  if (problems.length) throw new Error(`reliability: ${problems.join("; ")}`);
}
