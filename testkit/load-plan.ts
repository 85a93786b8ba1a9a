// What the load scenario sends: texts the bot must answer (from the eval cases) and chatter it must not, in a
// repeatable mix of pastes, chatter, mentions, retries and duplicates.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadKnowledge } from "../src/knowledge/load.js";
import { appMentionEvent, messageEvent, slackId } from "../src/local/signing.js";
import { createMatcher } from "../src/match/index.js";
import type { NamedHost } from "../src/probe/types.js";
import { renderThreadAnswer } from "../src/render/answer.js";

export interface Planned {
  kind: "paste" | "chatter" | "mention" | "retry" | "duplicate";
  /** The event as sent (the same object for a redelivery). */
  event: Record<string, unknown>;
  eventId: string;
  retryNum?: number;
}

export interface Message {
  channel: string;
  ts: string;
  /** Expected thread texts for a paste; empty for chatter. */
  expected: string[];
}

/** Texts the bot must answer and texts it must not, checked against the same matcher and knowledge it runs. */
export function textPools(knowledgeDir: string, hosts: readonly NamedHost[] = []): { pastes: string[]; chatter: string[]; expectedTexts: (text: string) => string[] | undefined } {
  const articles = loadKnowledge(knowledgeDir);
  const matcher = createMatcher(articles);
  const byId = new Map(articles.map((a) => [a.id, a]));
  // From source this is testkit/; compiled for `npm run bench` it is .bench/testkit/.
  const fixture = [new URL("../test/fixtures/eval-cases.jsonl", import.meta.url), new URL("../../test/fixtures/eval-cases.jsonl", import.meta.url)].map((u) => fileURLToPath(u)).find((f) => existsSync(f));
  if (!fixture) throw new Error("load scenario: test/fixtures/eval-cases.jsonl not found");
  const cases = readFileSync(fixture, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const extraChatter = [
    "anyone up for lunch?",
    "deploy is done, thanks all",
    "the POP3 migration is on Thursday, please test your clients",
    "who owns the Exchange 2019 upgrade?",
    "event ID tracking sheet is in the wiki",
    "brb",
    ":+1:",
    "can someone review my PR <@U0SOMEONE>",
  ];
  const pastes: string[] = [];
  const chatter: string[] = [];
  const expected = new Map<string, string[]>();
  for (const text of [...cases, ...extraChatter]) {
    const r = matcher.match(text, "channel");
    if (r.decision === "answer" && r.matches[0]) {
      pastes.push(text);
      expected.set(text, renderThreadAnswer(r.matches[0], hosts, undefined, { byId: (id) => byId.get(id) }).map((m) => m.text));
    } else {
      chatter.push(text);
    }
  }
  return { pastes, chatter, expectedTexts: (t) => expected.get(t) };
}

/**
 * A repeatable mix: per 20 events 2 pastes, 13 chatter, 1 mention of a paste, 2 retries, 2 duplicates. Pastes are
 * kept to a tenth because every 429 stops all of the bot's calls for Retry-After: answers drain at a few dozen a second.
 */
export function plan(n: number, seed: number, pools: ReturnType<typeof textPools>, channels: string[]): { sends: Planned[]; messages: Message[] } {
  let x = seed >>> 0 || 1;
  const rnd = (k: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % k;
  };
  const pattern = ["paste", "chatter", "chatter", "retry", "chatter", "chatter", "chatter", "duplicate", "chatter", "mention", "paste", "chatter", "chatter", "retry", "chatter", "chatter", "chatter", "duplicate", "chatter", "chatter"] as const;
  const sends: Planned[] = [];
  const messages: Message[] = [];
  const pastesSoFar: Planned[] = [];
  for (let i = 0; i < n; i++) {
    let kind: Planned["kind"] = pattern[i % pattern.length]!;
    if ((kind === "retry" || kind === "duplicate") && sends.length === 0) kind = "chatter";
    if (kind === "mention" && pastesSoFar.length === 0) kind = "paste";
    const channel = channels[rnd(channels.length)]!;
    if (kind === "paste" || kind === "chatter") {
      const pool = kind === "paste" ? pools.pastes : pools.chatter;
      const text = pool[rnd(pool.length)]!;
      // Some chatter is what the bot must never answer whatever it says: bots, edits, joins.
      const odd = kind === "chatter" ? rnd(8) : 7;
      const event =
        odd === 0
          ? messageEvent({ channel, text: pools.pastes[rnd(pools.pastes.length)]!, bot_id: "B0OTHER01", subtype: "bot_message" })
          : odd === 1
            ? messageEvent({ channel, text: pools.pastes[rnd(pools.pastes.length)]!, subtype: "message_changed" })
            : odd === 2
              ? messageEvent({ channel, text: "<@U0NEW0001> has joined the channel", subtype: "channel_join" })
              : messageEvent({ channel, text });
      const p: Planned = { kind, event, eventId: slackId("Ev") };
      sends.push(p);
      messages.push({ channel, ts: event.ts as string, expected: kind === "paste" ? pools.expectedTexts(text)! : [] });
      if (kind === "paste") pastesSoFar.push(p);
    } else if (kind === "mention") {
      // The same message as an app_mention: a new event_id, the same channel and ts.
      const of = pastesSoFar[pastesSoFar.length - 1 - rnd(Math.min(50, pastesSoFar.length))]!;
      const e = of.event as { channel: string; ts: string; text: string };
      sends.push({ kind, event: appMentionEvent({ channel: e.channel, ts: e.ts, text: e.text }), eventId: slackId("Ev") });
    } else {
      // A redelivery of a recent event (often still being handled) or an old one.
      const back = rnd(4) === 0 ? rnd(sends.length) : rnd(Math.min(40, sends.length));
      const of = sends[sends.length - 1 - back]!;
      sends.push({ kind, event: of.event, eventId: of.eventId, ...(kind === "retry" ? { retryNum: 1 + rnd(3) } : {}) });
    }
  }
  return { sends, messages };
}
