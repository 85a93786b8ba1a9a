// Renderers against Slack's Block Kit limits, no silent truncation, and mention/link injection.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import type { Article } from "../../src/knowledge/schema.js";
import type { Match } from "../../src/match/types.js";
import type { NamedHost, ProbeResult } from "../../src/probe/types.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { renderCommandAnswer, renderNotInChannel, renderSteps, renderThreadAnswer } from "../../src/render/answer.js";
import { packMessages, section, splitText, type SlackMessage } from "../../src/render/blocks.js";
import { escapeMrkdwn, plainText, quoteUserText } from "../../src/render/escape.js";
import { checkBlocks } from "../../src/local/block-check.js";
import { LIMITS } from "../../src/render/limits.js";
import { renderProbeProgress, renderProbeResult } from "../../src/render/probe.js";
import { renderHelp, renderNoMatch, renderPickList } from "../../src/render/replies.js";
import { withFeedbackCount } from "../../src/render/feedback.js";

const base = fixtureArticles().find((a) => a.id === "Q171435")!;
const host = (name: string, i = 0): NamedHost => ({ name, host: `10.0.0.${i % 250}`, port: 110, tls: "none", tlsInsecure: false });
const match = (a: Article, score = 0.93): Match => ({ article: a, score, evidence: [{ kind: "event", detail: "Event ID 11202", weight: 0.95 }] });

/** Every string a reader sees, in order. */
function strings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => strings(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "text" && typeof v === "string") out.push(v);
      else strings(v, out);
    }
  }
  return out;
}

function expectWithinLimits(msgs: SlackMessage[]): void {
  for (const m of msgs) {
    expect(checkBlocks(m.blocks)).toEqual([]);
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  }
}

/** Steps as numbered in rendered messages, continuation paragraphs glued back on. */
function stepsOf(msgs: SlackMessage[]): { n: number; text: string }[] {
  const out: { n: number; text: string }[] = [];
  for (const m of msgs) {
    for (const b of m.blocks as unknown as Record<string, unknown>[]) {
      if (b.type !== "rich_text") continue;
      for (const el of b.elements as Record<string, unknown>[]) {
        const texts = (node: unknown): string => strings(node).join("");
        if (el.type === "rich_text_list") {
          (el.elements as unknown[]).forEach((item, i) => out.push({ n: Number(el.offset ?? 0) + i + 1, text: texts(item).replace(/ \(continued below\)$/, "") }));
        } else if (el.type === "rich_text_section") {
          const t = texts(el);
          const cont = /^\(step (\d+), continued(?:, end)?\) /.exec(t);
          if (cont && out.length && out[out.length - 1]!.n === Number(cont[1])) out[out.length - 1]!.text += t.slice(cont[0].length);
        }
      }
    }
  }
  return out;
}

const HOSTILE = "<!channel> <!here> <!everyone> <@U123ABC> <#C123|general> <http://evil.example|click me> @here @channel *bold* `code` &amp; > <";

/** Links the knowledge base itself gives (an article's references) are fine; nothing else may link. */
const KNOWN_LINKS = new Set(fixtureArticles().flatMap((a: Article) => (a.links ?? []).map((l) => l.url)));

function expectNoPingsOrLinks(msgs: unknown): void {
  const all = strings(msgs)
    .join("\n")
    .replace(/<(https:[^|>]+)\|[^>]*>/g, (whole, url: string) => (KNOWN_LINKS.has(url) ? "(link)" : whole));
  expect(all).not.toMatch(/<[!@#]/);
  expect(all).not.toMatch(/<https?:/);
  expect(all).not.toMatch(/@(channel|here|everyone)\b/i);
}

describe("answers stay inside Block Kit limits and lose no step", () => {
  it("the real knowledge base renders as expected", () => {
    for (const a of fixtureArticles()) {
      const cmd = renderCommandAnswer(match(a), [host("lab")]);
      expectWithinLimits([cmd.parent, ...cmd.thread]);
      expect(stepsOf(cmd.thread).map((s) => s.text)).toEqual((a.steps ?? []).map((s) => plainText(s.path ? `${s.text} ${s.path}` : s.text)));
      const paste = renderThreadAnswer(match(a), [host("lab")]);
      expectWithinLimits(paste);
      expect(paste).toHaveLength(1);
    }
  });

  it("any resolution, however long, is split across messages with numbering intact", () => {
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.string({ minLength: 5, maxLength: 200 }) },
      { weight: 1, arbitrary: fc.string({ minLength: 2900, maxLength: 9000 }) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 5, maxLength: 4000 }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 160 }), fc.string({ maxLength: 700 }), fc.integer({ min: 0, max: 80 }), (resolution, title, nHosts) => {
        const a: Article = { ...base, title: `T${title}`, resolution };
        const hosts = Array.from({ length: nHosts }, (_, i) => host(`h${i}-${"x".repeat(i % 70)}`, i));
        const cmd = renderCommandAnswer(match(a), hosts);
        const paste = renderThreadAnswer(match(a), hosts);
        expectWithinLimits([cmd.parent, ...cmd.thread]);
        expectWithinLimits(paste);
        const want = resolution.map((s, i) => ({ n: i + 1, text: plainText(s) }));
        expect(stepsOf(cmd.thread)).toEqual(want);
        expect(stepsOf(paste)).toEqual(want);
        // One probe button per host, every host present, values decodable.
        const probeValues = [cmd.parent, ...cmd.thread].flatMap((m) =>
          (m.blocks as unknown as Record<string, unknown>[]).filter((b) => b.type === "actions").flatMap((b) => (b.elements as { action_id: string; value: string }[]).filter((e) => e.action_id.startsWith("probe"))),
        );
        expect(probeValues.map((e) => decodeProbeValue(e.value)?.host)).toEqual(hosts.map((h) => h.name));
      }),
      { numRuns: 60 },
    );
  });

  it("a title over 150 characters becomes a bold section instead of a header, in full", () => {
    const long = "X".repeat(400);
    const cmd = renderCommandAnswer(match({ ...base, title: long }), []);
    expect(cmd.parent.blocks[0]).toMatchObject({ type: "section" });
    expect(strings(cmd.parent.blocks).join("")).toContain(long);
  });

  it("steps use ordered lists whose offsets continue across blocks", () => {
    const blocks = renderSteps(Array.from({ length: 75 }, (_, i) => `step number ${i + 1}`));
    const offsets = blocks.filter((b) => b.type === "rich_text").map((b) => ((b.elements as unknown as { offset: number }[])[0]!).offset);
    expect(offsets).toEqual([0, 30, 60]);
  });

  it("packMessages marks continuation parts and never exceeds 50 blocks", () => {
    const blocks = Array.from({ length: 130 }, (_, i) => section(`block ${i}`));
    const msgs = packMessages(blocks, "fallback");
    expect(msgs).toHaveLength(3);
    expectWithinLimits(msgs);
    expect(msgs[1]!.text).toBe("fallback (part 2 of 3)");
    expect(strings(msgs[1]!.blocks[0])).toEqual(["_continued, part 2 of 3_"]);
    expect(msgs.flatMap((m) => strings(m.blocks)).filter((t) => t.startsWith("block "))).toHaveLength(130);
  });

  it("buttons: labels within 75 characters, 25 per actions block", () => {
    const hosts = Array.from({ length: 60 }, (_, i) => host(`host-${i}-${"n".repeat(60)}`, i));
    const { parent, thread } = renderCommandAnswer(match(base), hosts);
    const actionBlocks = [parent, ...thread].flatMap((m) => m.blocks as unknown as Record<string, unknown>[]).filter((b) => b.type === "actions" && String(b.block_id).startsWith("probe"));
    expect(actionBlocks.map((b) => (b.elements as unknown[]).length)).toEqual([25, 25, 10]);
    for (const b of actionBlocks) for (const e of b.elements as { text: { text: string } }[]) expect(Array.from(e.text.text).length).toBeLessThanOrEqual(75);
  });

  it("articles without a POP3 probe get no probe buttons; no hosts configured says how to add them", () => {
    const smtp = fixtureArticles().find((a) => a.probe.kind !== "pop3")!;
    expect(JSON.stringify(renderCommandAnswer(match(smtp), [host("lab")]).parent)).not.toContain('"probe:');
    expect(strings(renderCommandAnswer(match(base), []).parent.blocks).join(" ")).toContain("PROBE_HOSTS_FILE");
  });

  it("probe buttons only for hosts whose protocol fits the article: Run SMTP probe: hub02 under the 1020 answer", () => {
    const smtp = fixtureArticles().find((a) => a.id === "E2007-1020")!;
    const hosts: NamedHost[] = [host("lab"), { ...host("hub02", 1), port: 587, protocol: "smtp" }, { ...host("mail", 2), port: 143, protocol: "imap" }];
    const buttons = (a: Article) =>
      (renderCommandAnswer(match(a), hosts).parent.blocks as unknown as Record<string, unknown>[])
        .filter((b) => b.type === "actions" && String(b.block_id).startsWith("probe"))
        .flatMap((b) => (b.elements as { text: { text: string } }[]).map((e) => e.text.text));
    expect(buttons(smtp)).toEqual(["Run SMTP probe: hub02"]);
    expect(buttons(base)).toEqual(["Run POP3 probe: lab"]);
  });
});

describe("splitText", () => {
  it("pieces concatenate to the input, respect the limit, never cut an entity or a surrogate pair", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 5000 }), fc.integer({ min: 16, max: 3000 }), (raw, max) => {
        const text = escapeMrkdwn(raw);
        const parts = splitText(text, max);
        expect(parts.join("")).toBe(text);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(max);
          // After escaping every & starts an entity, so a piece ending in "&", "&am" or "&lt" would cut one.
          expect(p).not.toMatch(/&(?:a|am|amp|l|lt|g|gt)?$/);
          const last = p.charCodeAt(p.length - 1);
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("mention and link injection", () => {
  it("escaping: &, <, > become entities; broadcast words are broken", () => {
    expect(escapeMrkdwn("a & b <!here> c > d")).toBe("a &amp; b &lt;!here&gt; c &gt; d");
    expect(escapeMrkdwn("@here")).not.toBe("@here");
    expect(plainText("<!channel> <@U1>")).not.toMatch(/<[!@]/);
  });

  it("quoted user text is inline code, capped with the cut said, and cannot break out of the code span", () => {
    const q = quoteUserText("`*x*` " + "y".repeat(300), 50);
    expect(q.startsWith("`") && q.endsWith("`")).toBe(true);
    expect(q.slice(1, -1)).not.toContain("`");
    expect(q).toMatch(/… \(\d+ more characters\)`$/);
  });

  it("pick list, no-match and help never turn user text into a ping or a link", () => {
    const m = [match(base), match(fixtureArticles()[0]!)];
    const msgs = [renderPickList(HOSTILE, m), renderNoMatch(HOSTILE, m), renderNoMatch(HOSTILE, [])];
    expectNoPingsOrLinks(msgs);
    expect(strings(msgs[0]).join("")).toContain("&lt;!channel&gt;");
  });

  it("any user text in a pick list or no-match reply: no ping, no link, within limits", () => {
    const slackish = fc.array(fc.constantFrom("<!channel>", "<!here>", "<@U0ABC>", "<#C0ABC>", "<http://x.example|y>", "@everyone", "`", "*", "&", "<", ">", "http://a.example", "\u0000", "\n", "word"), { maxLength: 40 }).map((p) => p.join(" "));
    fc.assert(
      fc.property(fc.oneof(slackish, fc.string({ maxLength: 3000 })), (q) => {
        const msgs = [renderPickList(q, [match(base)]), renderNoMatch(q, [match(base)])];
        expectWithinLimits(msgs);
        expectNoPingsOrLinks(msgs);
      }),
      { numRuns: 300 },
    );
  });

  it("knowledge text with markup renders escaped (a knowledge file is text, not Slack markup)", () => {
    const a: Article = { ...base, title: `Title ${HOSTILE}`, cause: `Cause ${HOSTILE}`.padEnd(30, "."), resolution: [`Step ${HOSTILE}`] };
    const cmd = renderCommandAnswer(match(a), [host("lab")]);
    expectNoPingsOrLinks([cmd.parent, ...cmd.thread, ...renderThreadAnswer(match(a), []), ...renderNotInChannel(match(a), "not_in_channel")]);
  });

  it("a hostile POP3 server's replies in the transcript and diagnosis never ping or link", () => {
    const r: ProbeResult = {
      ok: false,
      name: "lab",
      host: "127.0.0.1",
      port: 110,
      tls: "none",
      protocol: "pop3",
      steps: [{ name: "greeting", ok: true, ms: 3, detail: HOSTILE }],
      lines: [`S: +OK ${HOSTILE}`, "C: USER probe", "C: PASS ********", `S: -ERR ${HOSTILE}`].map((text, at) => ({ at, text })),
      diagnosis: { summary: `Fault ${HOSTILE}`, articles: ["Q171435", "Q000000"], findings: [HOSTILE] },
      totalMs: 1234,
    };
    const msgs = renderProbeResult(r, (id) => (id === "Q171435" ? base : undefined), "U0ADMIN01");
    expectWithinLimits(msgs);
    const visible = strings(msgs).join("\n");
    expect(visible).not.toMatch(/<[!#]|<@(?!U0ADMIN01>)/);
    expect(visible).not.toMatch(/<https?:/);
    expect(visible).not.toMatch(/@(channel|here|everyone)\b/);
    expect(visible).toContain("PASS ********");
    expect(visible).toMatch(/Matches \*Q171435\*/);
    // An id the knowledge base does not know is not offered as a button.
    expect(JSON.stringify(msgs)).not.toContain('"value":"Q000000"');
  });

  it("a long transcript is split into fenced sections across messages, nothing dropped", () => {
    const transcript = Array.from({ length: 2000 }, (_, i) => `S: +OK line ${i} ${"z".repeat(i % 90)}`);
    const r: ProbeResult = { ok: true, host: "h", port: 110, tls: "none", protocol: "pop3", steps: [], lines: transcript.map((text, at) => ({ at, text })), diagnosis: { summary: "fine", articles: [], findings: [] }, totalMs: 10 };
    const msgs = renderProbeResult(r, () => undefined, undefined);
    expect(msgs.length).toBeGreaterThan(1);
    expectWithinLimits(msgs);
    const fenced = strings(msgs).filter((t) => t.startsWith("```")).map((t) => t.slice(4, -4)).join("");
    expect(fenced).toBe(transcript.join("\n"));
  });

  it("only a real Slack user id becomes a mention", () => {
    expect(strings(renderProbeProgress(host("lab"), "U0ADMIN01").blocks).join("")).toContain("<@U0ADMIN01>");
    expect(strings(renderProbeProgress(host("lab"), "<!channel>").blocks).join("")).not.toContain("<!channel>");
  });
});

describe("feedback and help", () => {
  it("the vote count goes right under the buttons, once, replacing the last count; the buttons and the rest stay", () => {
    const { parent } = renderCommandAnswer(match(base), [host("lab")]);
    const once = withFeedbackCount(parent.blocks, { helpful: 1, unhelpful: 0 });
    const twice = withFeedbackCount(once, { helpful: 2, unhelpful: 1 });
    expect(twice.length).toBe(parent.blocks.length + 1);
    const at = twice.findIndex((b) => b.block_id === "feedback");
    expect(strings(twice[at + 1]).join(" ")).toContain("2 found this helpful · 1 did not");
    expect(JSON.stringify(twice)).toContain("feedback_yes");
    expect(strings(twice).join(" ")).toContain("Did this help?");
    expect(checkBlocks(twice)).toEqual([]);
  });

  it("help lists the ways to ask and the probe hosts", () => {
    const h = renderHelp({ articles: 4, hosts: [host("lab"), host("<!here>")] });
    expectWithinLimits([h]);
    expect(strings(h.blocks).join(" ")).toContain("/exchange 11202");
    expectNoPingsOrLinks(h);
  });
});
