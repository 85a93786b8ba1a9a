// Property-based fuzzing of the normaliser and the matcher with hostile text: 1 MB lines, control characters,
// lone surrogates, deep nesting of Slack markup and entities. They never throw, stay deterministic and take
// bounded time (generous ceilings that only a runaway path breaks; speed itself is in `npm run bench`).
import fc from "fast-check";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { fixtureKnowledge } from "../helpers/knowledge.js";
import { MAX_INPUT_CHARS, normalise } from "../../src/match/normalise.js";
import type { Mode } from "../../src/match/types.js";
import { expectWellFormed } from "../helpers/match-result.js";
import { assertShort } from "./short-assert.js";

const { matcher, articles } = fixtureKnowledge();
const ids = new Set(articles.map((a) => a.id));
const MODES: Mode[] = ["channel", "command"];

const CONTROL = fc.constantFrom("\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\u000b", "\f", "\r", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u0301", "\ud800", "\udfff", "\uffff");
const SLACK_ATOM = fc.constantFrom("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@W0ABC|bob>", "<#C123>", "<#C1|general>", "<!subteam^S1|@ops>", "<http://evil.example|click>", "<mailto:a@b.example|a>", "<tel:123>", "&lt;", "&gt;", "&amp;", "&amp;lt;", "&#60;", "&#x3c;", "&#1114112;", "&#xD800;", "```", "`", "*", "_", "~", "> ", "•");
const EXCHANGE_ATOM = fc.constantFrom("Event ID: 11202", "Event ID: 13003", "11202", "13003", "Q171435", "KB247764", "MSExchangePOP3", "-ERR ", "+OK ", "A required privilege is not held by the client", "Logon failure: unknown user name or bad password", "HrLookupCredentials()", "Source:", "Description:");

/** Text in which Slack markup nests inside itself: links around mentions around code around quotes... */
const nested = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 12 }), SLACK_ATOM, EXCHANGE_ATOM, CONTROL),
    tie("node").map((n) => `<${n}>`),
    tie("node").map((n) => `<http://x.example/${n}|${n}>`),
    tie("node").map((n) => `*_${n}_*`),
    tie("node").map((n) => `\`\`\`${n}\`\`\``),
    tie("node").map((n) => `&lt;${n}&gt;`),
    tie("node").map((n) => `> ${n}\n`),
    fc.tuple(tie("node"), tie("node")).map(([a, b]) => `${a} ${b}`),
  ),
})).node;

const mixed = fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }), SLACK_ATOM, EXCHANGE_ATOM, CONTROL, nested), { maxLength: 80 }).map((p) => p.join(""));

/** Deep nesting by repetition: thousands of levels of the same opener (what recursion-free parsers must survive). */
const deep = fc
  .tuple(fc.constantFrom("<", "<@", "<!", "<http://a|", "*", "_", "~", "`", "```", "> ", "&amp;", "&lt;", "&#", "<<!channel>", "(", "[", "\\"), fc.constantFrom(">", "|", "*", "`", "&gt;", ";", ")", ""), fc.integer({ min: 1, max: 40_000 }), EXCHANGE_ATOM)
  .map(([open, close, n, core]) => open.repeat(n) + core + close.repeat(n));

/** A line of about 1 MB: one short pattern repeated, with no line break or with breaks everywhere. */
const megabyte = fc
  .tuple(fc.oneof(mixed, SLACK_ATOM, EXCHANGE_ATOM, fc.string({ unit: "binary", minLength: 1, maxLength: 64 })), fc.boolean())
  .filter(([p]) => p.length > 0)
  .map(([pattern, breaks]) => {
    const unit = breaks ? `${pattern}\n` : pattern;
    return unit.repeat(Math.ceil((1 << 20) / unit.length)).slice(0, 1 << 20);
  });

let slowest = 0;
const worst: Record<string, number> = {};
let current = "";
function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  const r = fn();
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  worst[current] = Math.max(worst[current] ?? 0, ms);
  return r;
}

beforeEach((ctx) => void (current = ctx.task.name.split(":")[0]!));
afterAll(() => {
  console.log(`[reliability] fuzz: slowest normalise/match call per property: ${Object.entries(worst).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join("; ")}`);
});

function check(text: string, ceilingMs: number): void {
  slowest = 0;
  const n = timed(() => normalise(text));
  expect(typeof n.text).toBe("string");
  expect(n.truncated).toBe(text.length > MAX_INPUT_CHARS);
  // Bounded output: the cut is made, and nothing grows without end (entities decode to at most two code units).
  expect(n.text.length).toBeLessThanOrEqual(2 * MAX_INPUT_CHARS);
  // No control characters and no lone surrogates (a whole pair is one code point under the u flag).
  expect(n.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff]/u);
  for (const mode of MODES) {
    const r = timed(() => matcher.match(text, mode));
    expectWellFormed(r, mode, ids);
    // Same input, same answer: no state leaks from one message to the next.
    expect(timed(() => matcher.match(text, mode))).toEqual(r);
  }
  expect(slowest).toBeLessThan(ceilingMs);
}

describe("fuzz: normaliser and matcher", () => {
  it("random and Slack-shaped text with control characters and nested markup: never throws, well-formed, deterministic", () => {
    assertShort(
      fc.property(mixed, (t) => check(t, 1000)),
      { numRuns: 500 },
    );
  });

  it("deep nesting of Slack markup and entities, up to 40,000 levels: bounded time", () => {
    assertShort(
      fc.property(deep, (t) => check(t, 3000)),
      { numRuns: 60 },
    );
  });

  it("1 MB lines of any pattern: bounded time, the cut is made and said", () => {
    assertShort(
      fc.property(megabyte, (t) => {
        expect(t.length).toBe(1 << 20);
        check(t, 5000);
      }),
      { numRuns: 12 },
    );
  });

  it("a KB or article label before 60,000 spaces: bounded time (found by the matcher's property test: it took 8 s)", () => {
    for (const label of ["kb", "KB ", "article id", "knowledge base article"]) check(`${label}${" ".repeat(60_000)}s`, 1000);
  });

  it("mentions, broadcasts and links alone are never answered in a channel", () => {
    const noise = fc.array(fc.oneof(fc.constantFrom("<!channel>", "<!here>", "<!everyone>", "<@U0ABC123>", "<#C0ABC123|general>", "<!subteam^S1>", "<http://a.example>", " ", "\n"), CONTROL), { maxLength: 200 }).map((p) => p.join(""));
    assertShort(
      fc.property(noise, (t) => {
        expect(matcher.match(t, "channel").decision).not.toBe("answer");
      }),
      { numRuns: 300 },
    );
  });
});
