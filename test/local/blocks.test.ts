// The page's Block Kit renderer, in Node: everything the bot's own renderers produce is drawn (no
// placeholders, no lost text), anything else gets a visible placeholder, and no text becomes markup.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, messageBody, mrkdwn } from "../../src/local/page/blocks.js";
import { startLabPeers, type LabPeers } from "../../src/local/lab-peers.js";
import { createMatcher } from "../../src/match/index.js";
import { runProbe } from "../../src/probe/run.js";
import { targetFromNamedHost } from "../../src/probe/hosts.js";
import type { Block, SlackMessage } from "../../src/render/blocks.js";
import { renderCommandAnswer, renderThreadAnswer } from "../../src/render/answer.js";
import { renderProbeProgress, renderProbeResult } from "../../src/render/probe.js";
import { renderHelp, renderNoMatch, renderPickList } from "../../src/render/replies.js";
import { withFeedbackCount } from "../../src/render/feedback.js";
import { fixtureArticles } from "../helpers/knowledge.js";

const articles = fixtureArticles();
const matcher = createMatcher(articles);
const ctx = { users: { U0BOT0001: "exchange-bot", U0LOCAL01: "you" } };

/** What a reader sees: tags dropped, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<br>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

// The SVG tags are the emoji icons' own (src/local/page/icons.js), never built from a message.
const ALLOWED_TAGS = new Set(["div", "span", "b", "i", "s", "code", "pre", "br", "hr", "blockquote", "a", "ol", "ul", "li", "button", "svg", "path", "rect", "circle", "g", "text"]);

/** Every tag is one the renderer writes itself, with no event handler and no script URL. */
function onlyOwnMarkup(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z0-9-]+)([^>]*)>/g)) {
    expect(ALLOWED_TAGS.has(m[1]!.toLowerCase()), `tag <${m[1]}> in ${html.slice(0, 200)}`).toBe(true);
    const attrs = m[2] ?? "";
    // Values are quoted and cannot hold a quote, so with them blanked out only attribute names remain.
    const names = attrs.replace(/="[^"]*"/g, "");
    expect(names, `attributes of <${m[1]}>: ${attrs.slice(0, 120)}`).toMatch(/^(\s+[a-z][a-zA-Z-]*)*\s*\/?$/);
    expect(names).not.toMatch(/\son[a-z]+/i);
    for (const h of attrs.matchAll(/href="([^"]*)"/g)) expect(h[1]).toMatch(/^(https?:|mailto:)/i);
  }
}

/** Every string a reader of the blocks should see: plain_text and rich text literally, mrkdwn after its escapes. */
function expectedTexts(blocks: Block[]): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== "object") return;
    const o = n as Record<string, unknown>;
    if (o.type === "plain_text" || o.type === "text") out.push(String(o.text));
    Object.values(o).forEach(walk);
  };
  walk(blocks);
  return out;
}

let lab: LabPeers;
const env: NodeJS.ProcessEnv = {};
beforeAll(async () => {
  lab = await startLabPeers(env);
});
afterAll(async () => {
  await lab.stop();
});

describe("the bot's own messages", () => {
  async function everyMessage(): Promise<[string, SlackMessage][]> {
    const out: [string, SlackMessage][] = [];
    for (const a of articles) {
      const m = matcher.match(a.id, "command").matches[0]!;
      renderThreadAnswer(m, lab.hosts).forEach((msg, i) => out.push([`thread answer ${a.id} #${i}`, msg]));
      const cmd = renderCommandAnswer(m, lab.hosts);
      out.push([`command parent ${a.id}`, cmd.parent]);
      cmd.thread.forEach((msg, i) => out.push([`command thread ${a.id} #${i}`, msg]));
      out.push([`votes ${a.id}`, { text: "", blocks: withFeedbackCount(cmd.parent.blocks, { helpful: 3, unhelpful: 1 }) }]);
    }
    out.push(["help", renderHelp({ articles: articles.length, hosts: lab.hosts })]);
    out.push(["pick list", renderPickList("pop3 <logon> & *stuff*", matcher.match("pop3 logon", "command").matches)]);
    out.push(["no match", renderNoMatch("nothing like it", matcher.match("pop3", "command").matches)]);
    out.push(["progress", renderProbeProgress(lab.hosts[0]!, "U0LOCAL01")]);
    for (const h of lab.hosts) {
      const r = await runProbe(targetFromNamedHost(h, env), { articles });
      renderProbeResult(r, (id) => matcher.byId(id), "U0LOCAL01").forEach((msg, i) => out.push([`probe ${h.name} #${i}`, msg]));
    }
    return out;
  }

  it("are drawn without a placeholder, every plain and rich text shown, only the page's own markup", async () => {
    const all = await everyMessage();
    expect(all.length).toBeGreaterThan(20);
    for (const [name, msg] of all) {
      const html = messageBody(msg, ctx);
      expect(html, name).not.toContain("data-unsupported");
      onlyOwnMarkup(html);
      const seen = visible(html);
      for (const t of expectedTexts(msg.blocks)) {
        // Emoji codes in plain text are drawn as emoji; everything else shows as written.
        if (!/:[a-z_]+:/.test(t)) expect(seen, `${name}: "${t.slice(0, 60)}"`).toContain(t);
      }
    }
  });

  it("numbered steps keep Slack's numbering across lists, and buttons say where they sit", () => {
    const blocks = [
      { type: "rich_text", elements: [{ type: "rich_text_list", style: "ordered", offset: 0, elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "one" }] }] }] },
      { type: "rich_text", elements: [{ type: "rich_text_list", style: "ordered", offset: 30, indent: 1, elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "thirty-one" }] }] }] },
      { type: "actions", block_id: "feedback", elements: [{ type: "button", text: { type: "plain_text", text: "Yes" }, action_id: "feedback_yes:0", value: "Q171435", style: "primary" }] },
      { type: "section", text: { type: "mrkdwn", text: "pick" }, accessory: { type: "button", text: { type: "plain_text", text: "Show" }, action_id: "pick:0", value: "Q1" } },
    ] as Block[]; // `offset` is Slack's; @slack/types does not declare it
    const html = messageBody({ blocks }, ctx);
    expect(html).toMatch(/<ol class="rt-list indent-0"><li>/);
    expect(html).toContain('<ol class="rt-list indent-1" start="31"><li>');
    expect(html).toContain('<button type="button" class="btn primary" data-block="2" data-element="0" data-action-id="feedback_yes:0">Yes</button>');
    expect(html).toContain('data-block="3" data-element="accessory" data-action-id="pick:0"');
    // The value stays on the server's copy of the message; the page never holds or sends it.
    expect(html).not.toContain("Q171435");
  });
});

describe("blocks the page does not draw", () => {
  it.each(["image", "input", "video", "file", "call", "markdown", "some_future_block"])("%s gets a visible placeholder naming it", (type) => {
    const html = messageBody({ blocks: [{ type: "section", text: { type: "plain_text", text: "before" } }, { type, block_id: "x" }] }, ctx);
    expect(html).toContain(`data-unsupported="${type}"`);
    expect(visible(html)).toContain(`Local mode cannot draw this block: ${type}`);
    expect(visible(html)).toContain("before");
  });

  it("unknown elements inside supported blocks get inline placeholders", () => {
    const html = messageBody(
      {
        blocks: [
          { type: "actions", elements: [{ type: "static_select", action_id: "s" }, { type: "button", text: { type: "plain_text", text: "Go" }, action_id: "go" }] },
          { type: "context", elements: [{ type: "image", image_url: "http://x/y.png", alt_text: "y" }, { type: "mrkdwn", text: "ctx" }] },
          { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "a" }, { type: "sparkle" }] }] },
        ],
      },
      ctx,
    );
    for (const t of ["static_select", "image", "sparkle"]) expect(html).toContain(`data-unsupported="${t}"`);
    expect(visible(html)).toContain("Go");
    expect(visible(html)).toContain("ctx");
  });

  it("a message without blocks shows its text", () => {
    expect(visible(messageBody({ text: "plain *bold*", blocks: [] }, ctx))).toBe("plain bold");
  });
});

describe("mrkdwn", () => {
  it("formats as Slack does", () => {
    expect(mrkdwn("*b* _i_ ~s~ `c`")).toBe("<b>b</b> <i>i</i> <s>s</s> <code>c</code>");
    expect(mrkdwn("a\n```\nS: +OK &lt;ready&gt;\nC: PASS ********\n```\nb")).toBe('a<pre class="code">S: +OK &lt;ready&gt;\nC: PASS ********</pre>b');
    expect(mrkdwn("Thanks, <@U0LOCAL01>: noted", ctx)).toBe('Thanks, <span class="mention">@you</span>: noted');
    expect(mrkdwn("<!here> and <#C1|general>")).toBe('<span class="mention broadcast">@here</span> and <span class="mention">#general</span>');
    expect(mrkdwn("<https://example.com/kb?a=1&amp;b=2|the KB>")).toBe('<a href="https://example.com/kb?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the KB</a>');
    expect(mrkdwn("<javascript:alert(1)|click>")).toBe('<span class="link-blocked">click</span>');
    expect(mrkdwn("R&amp;D &lt;script&gt;")).toBe("R&amp;D &lt;script&gt;");
    expect(mrkdwn(":white_check_mark: ok :no_such_emoji:")).toContain(":no_such_emoji:");
    expect(mrkdwn(":white_check_mark: ok")).toContain('<span class="emoji"');
    expect(mrkdwn("exchange55_privilege and snake_case_name")).toBe("exchange55_privilege and snake_case_name");
    expect(mrkdwn("&gt; quoted\nafter")).toBe("<blockquote>quoted</blockquote>after");
  });

  it("never lets text become markup (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("<", ">", "&", '"', "'", "*", "_", "`", "~", "|", "@", "!", "#", ":", "\n", " ", "a", "javascript:", "on", "=", "script", "img", "http://x", "\u0000") });
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const blocks = [
          { type: "header", text: { type: "plain_text", text: a } },
          { type: "section", text: { type: "mrkdwn", text: b }, fields: [{ type: "mrkdwn", text: c }], accessory: { type: "button", text: { type: "plain_text", text: a }, action_id: b, url: c } },
          { type: "context", elements: [{ type: "mrkdwn", text: `<${a}|${b}>` }, { type: "plain_text", text: c }] },
          { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: a }, { type: "link", url: b, text: c }, { type: "user", user_id: a }] }] },
          { type: c, text: a },
        ];
        const html = messageBody({ text: b, blocks }, ctx);
        onlyOwnMarkup(html);
        expect(html).not.toContain("\u0000");
      }),
      { numRuns: 400 },
    );
  });

  it("escapeHtml escapes what HTML needs", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});
