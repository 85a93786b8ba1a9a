// Load with a misbehaving Slack: 10,000 signed events through the real receiver of the real bot process while
// the Web API stand-in answers 10% of its calls with 429 + Retry-After and 1% with 500. Nothing lost, nothing doubled.
import { describe, expect, it } from "vitest";
import { runLoad } from "../../testkit/load-scenario.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";

describe("load under Web API faults", () => {
  it("10,000 events: every paste answered exactly once, no chatter answered, no retry or duplicate answered twice, RSS flat", async () => {
    const { figures: f, problems } = await runLoad({ events: 10_000, knowledgeDir: FIXTURE_KNOWLEDGE_DIR });
    console.log(
      `[reliability] load: ${f.sent} events sent (${f.pastes} pastes, ${f.chatter} chatter, ${f.mentions} mentions of pastes, ${f.retries} retries, ${f.duplicates} duplicates), ` +
        `${f.acked} acked in ${f.sendSeconds.toFixed(1)} s (ack p50 ${f.ackP50Ms.toFixed(1)} ms, p99 ${f.ackP99Ms.toFixed(1)} ms, max ${f.ackMaxMs.toFixed(0)} ms); ` +
        `${f.answeredOnce}/${f.pastes} pastes answered once, ${f.lost} lost, ${f.doubled} doubled, ${f.chatterAnswered} chatter answered; ` +
        `${f.calls} chat.postMessage calls: ${f.ratelimited} got 429, ${f.http500} got 500; last answer after ${f.wallSeconds.toFixed(1)} s; ` +
        `RSS start ${f.rssStartMb.toFixed(0)} MB, rounds ${f.rssRoundsMb.map((x) => x.toFixed(0)).join("/")} MB, peak ${f.rssPeakMb.toFixed(0)} MB, end ${f.rssEndMb.toFixed(0)} MB`,
    );
    expect(problems).toEqual([]);
    expect(f.sent).toBe(10_000);
    expect(f.acked).toBe(f.sent);
    // The mix really holds every kind.
    for (const n of [f.pastes, f.chatter, f.mentions, f.retries, f.duplicates]) expect(n).toBeGreaterThanOrEqual(500);

    expect(f.answeredOnce).toBe(f.pastes);
    expect(f.lost).toBe(0);
    expect(f.doubled).toBe(0);
    expect(f.chatterAnswered).toBe(0);
    expect(f.botPosts).toBe(f.expectedPosts);

    // The faults really happened, and each failed call was retried until it landed once.
    expect(f.ratelimited).toBeGreaterThan(0.05 * f.calls);
    expect(f.http500).toBeGreaterThan(0);
    expect(f.calls).toBe(f.botPosts + f.warnings + f.ratelimited + f.http500);

    // Slack redelivers what is not acked within 3 s.
    expect(f.ackP99Ms).toBeLessThan(3000);

    // Memory: the floor after the later rounds stays near the floor after the first ones, and the end is bounded.
    // RSS swings by tens of MB with garbage collection (more when run from source through tsx), so this catches
    // gross growth such as every request kept; the exact figures are in the line above and in `npm run bench`.
    const early = Math.min(...f.rssRoundsMb.slice(0, 2));
    const late = Math.min(...f.rssRoundsMb.slice(2));
    expect(late).toBeLessThan(early + 64);
    expect(f.rssEndMb).toBeLessThan(f.rssStartMb + 150);
  }, 240_000);
});
