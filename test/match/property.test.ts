// Property tests: whatever arrives, the normaliser and matcher return a well-formed result in bounded time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import { normalise } from "../../src/match/normalise.js";
import { expectWellFormed } from "../helpers/match-result.js";

const articles = loadKnowledge();
const matcher = createMatcher(articles);
const ids = new Set(articles.map((a) => a.id));
const slackish = fc.array(
  fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.constantFrom("<!channel>", "<@U123>", "<#C1|x>", "<http://a|b>", "&lt;", "&amp;amp;", "```", "> ", "*", "_", "\u0000", "\ud800", "Event ID: ", "11202", "-ERR ", "MSExchangePOP3", "<EventID>", "----  --"),
    fc.string({ unit: "binary", maxLength: 20 }),
  ),
  { maxLength: 60 },
).map((parts) => parts.join(""));

describe("properties", () => {
  it("never throws on random unicode and Slack markup, in either mode", () => {
    fc.assert(
      fc.property(slackish, fc.constantFrom("command" as const, "channel" as const), (text, mode) => {
        normalise(text);
        expectWellFormed(matcher.match(text, mode), mode, ids);
      }),
      { numRuns: 400 },
    );
  });

  it("handles a 1 MB line in bounded time", () => {
    const big = ("Event ID: 11202 MSExchangePOP3 privilege " + "x".repeat(97)).repeat(8000).slice(0, 1 << 20);
    const t0 = performance.now();
    const r = matcher.match(big, "channel");
    const ms = performance.now() - t0;
    expectWellFormed(r, "channel", ids);
    // A generous ceiling that only a runaway (quadratic) path would break; speed itself is in `npm run bench`.
    expect(ms).toBeLessThan(5000);
  });

  it("stays linear on a label followed by a long run of spaces (found by the property below)", () => {
    for (const text of [`kb${" ".repeat(60_000)}.`, `event${" ".repeat(60_000)}.`]) {
      for (const mode of ["command", "channel"] as const) {
        const t0 = performance.now();
        expectWellFormed(matcher.match(text, mode), mode, ids);
        expect(performance.now() - t0).toBeLessThan(3000);
      }
    }
  });

  it("stays linear on long repetitions of regex-relevant pieces (no catastrophic backtracking)", () => {
    const piece = fc.array(fc.constantFrom(" ", "\t", "\n", "event", "id", "s", ":", "=", "<", ">", "&", "#", "*", "_", "`", "-", "1", ".", ",", "+", "err", "ok", "q", "kb", "0x", "|", "@", "!", '"'), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(piece, piece, piece, fc.constantFrom("command" as const, "channel" as const), (head, body, tail, mode) => {
        const unit = body.join("");
        const text = head.join("") + unit.repeat(Math.ceil(60_000 / unit.length)) + tail.join("");
        const t0 = performance.now();
        expectWellFormed(matcher.match(text, mode), mode, ids);
        expect(performance.now() - t0).toBeLessThan(3000);
      }),
      { numRuns: 300 },
    );
  });

  it("handles one enormous word without quadratic work", () => {
    for (const word of ["a".repeat(1 << 20), "ab".repeat(50_000) + " privilege " + "c".repeat(60_000)]) {
      const t0 = performance.now();
      expectWellFormed(matcher.match(word, "channel"), "channel", ids);
      expectWellFormed(matcher.match(word, "command"), "command", ids);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });

  it("handles 1 MB of random bytes and deep Slack markup nesting", () => {
    const bytes = Buffer.alloc(1 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    expectWellFormed(matcher.match(bytes.toString("latin1"), "channel"), "channel", ids);
    expectWellFormed(matcher.match("<".repeat(50_000) + "@U1|" + ">".repeat(50_000), "channel"), "channel", ids);
    expectWellFormed(matcher.match("&amp;".repeat(100_000), "command"), "command", ids);
  });
});
