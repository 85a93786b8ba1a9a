// Mention and link injection end to end: user text (and a hostile POP3 server's replies) full of <!channel>,
// <!here>, <@U…>, <#C…>, links and mrkdwn goes through the real receiver into every kind of reply; every message
// the stand-in recorded, text and blocks, is then read the way Slack reads it. Nothing may ping or link.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appMentionEvent, eventCallbackRequest, messageEvent, slashCommandRequest } from "../../src/local/signing.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { hazards } from "../helpers/slack-safety.js";
import { buttons, clickButton, SECRET, startHarness, visibleText, type Harness } from "../slack/harness.js";

const USER = "U0ADMIN01";
// Both what Slack sends when someone really mentions (<!channel>) and what it sends for the typed characters (&lt;!channel&gt;).
const INJECT = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0INJECT4|@admins>",
  "<@U0INJECT1>",
  "<@W0INJECT2|boss>",
  "<#C0INJECT3|general>",
  "<#C0INJECT3>",
  "<http://evil.example/a|click here>",
  "<https://evil.example>",
  "<mailto:x@evil.example|mail me>",
  "http://evil.example/bare",
  "@channel @here @everyone",
  "&lt;!channel&gt; &lt;@U0INJECT1&gt; &lt;http://evil.example|x&gt;",
  "&amp;lt;!here&amp;gt;",
  "<!date^1392734382^{date}|x>",
  "*bold* _it_ ~strike~ `code` ```fence``` > quote",
].join(" ");
const PASTE = "Event ID: 11202 Source: MSExchangePOP3 HrLookupCredentials() call failed with error: A required privilege is not held by the client.";

let h: Harness;
let peer: Server;
const sockets = new Set<Socket>();

/** A POP3 server whose every reply carries the injection. */
async function hostilePop3(): Promise<number> {
  peer = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    s.write(`+OK ${INJECT}\r\n`);
    let buf = "";
    s.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\r\n")) >= 0) {
        const cmd = buf.slice(0, i).split(" ")[0]!.toUpperCase();
        buf = buf.slice(i + 2);
        if (cmd === "CAPA") s.write(`+OK <!here>\r\nUSER\r\nIMPLEMENTATION ${INJECT}\r\n.\r\n`);
        else if (cmd === "USER") s.write(`+OK <@U0INJECT1> send PASS\r\n`);
        else if (cmd === "PASS") s.write(`-ERR ${INJECT} A required privilege is not held by the client.\r\n`);
        else if (cmd === "QUIT") s.end(`+OK bye <!everyone>\r\n`);
        else s.write(`-ERR <!channel> unknown\r\n`);
      }
    });
  });
  await new Promise<void>((r) => peer.listen(0, "127.0.0.1", () => r()));
  return (peer.address() as { port: number }).port;
}

beforeAll(async () => {
  const port = await hostilePop3();
  h = await startHarness({
    hosts: [{ name: "hostile", host: "127.0.0.1", port, tls: "none", user: "probe", passwordEnv: "INJ_PW", tlsInsecure: false }],
    env: { INJ_PW: "inj-Pw-0123456" },
  });
});
afterAll(async () => {
  await h?.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => peer?.close(() => r()));
});

function slash(text: string, channel: string) {
  return h.send(slashCommandRequest(SECRET, { text, channel_id: channel, user_id: USER, response_url: h.api.newResponseUrl({ channel, user: USER }) }, h.ws));
}

const click = (m: RecordedMessage, b: ReturnType<typeof buttons>[number]) => clickButton(h, m, b, USER);

describe("mention and link injection through every reply", () => {
  it("slash commands (answer, pick list, no match, help), pastes, mentions, a pick and a probe of a hostile server: no ping, no link", async () => {
    const C = "CINJECT01";
    // /exchange that answers, that is ambiguous, that matches nothing; the injection around each.
    expect((await slash(`11202 ${INJECT}`, C)).status).toBe(200);
    // Which words stay ambiguous with the injection around them is the matcher's business: ask it, then use one.
    const ambiguous = ["MSExchangePOP3 HrLookupCredentials", "MSExchangePOP3", "pop3"].map((w) => `${w} ${INJECT}`).find((t) => h.bot.services.knowledge.matcher.match(t, "command").decision === "ambiguous");
    expect(ambiguous).toBeDefined();
    expect((await slash(ambiguous!, C)).status).toBe(200);
    expect((await slash(INJECT, C)).status).toBe(200);
    // A paste and a mention carrying it.
    const paste = messageEvent({ channel: C, user: USER, text: `${INJECT}\n${PASTE}\n${INJECT}` });
    expect((await h.send(eventCallbackRequest(SECRET, paste, {}, h.ws))).status).toBe(200);
    const mention = appMentionEvent({ channel: C, user: USER, text: `${INJECT} ${PASTE}` }, h.api.botUserId);
    expect((await h.send(eventCallbackRequest(SECRET, mention, {}, h.ws))).status).toBe(200);

    const parent = await h.api.waitFor(() => h.api.botMessages({ channel: C }).find((m) => !m.thread_ts && m.via === "chat.postMessage"));
    const pickList = await h.api.waitFor(() => h.api.botMessages({ channel: C }).find((m) => m.via === "response_url" && buttons(m).some((b) => b.action_id.startsWith("pick"))));
    const noMatch = await h.api.waitFor(() => h.api.botMessages({ channel: C }).find((m) => m.via === "response_url" && m !== pickList && !buttons(m).some((b) => b.action_id.startsWith("pick"))));
    await h.api.waitFor(() => h.api.botMessages({ channel: C, thread_ts: paste.ts as string }).length > 0);
    await h.api.waitFor(() => h.api.botMessages({ channel: C, thread_ts: mention.ts as string }).length > 0);

    // The quoted text is shown, made harmless: the checks below are not passing on an empty message.
    expect(visibleText(noMatch.blocks)).toMatch(/&lt;!channel&gt;|<\u200b!channel>/);
    expect(visibleText(pickList.blocks)).toMatch(/&lt;!channel&gt;|<\u200b!channel>/);

    // Choose from the pick list; run a probe against the hostile server from the answer's button.
    const pick = buttons(pickList).find((b) => b.action_id.startsWith("pick"))!;
    const before = h.api.botMessages({ channel: C }).length;
    expect((await click(pickList, pick)).status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: C }).length > before);
    const probe = buttons(parent).find((b) => b.action_id.startsWith("probe") && decodeProbeValue(b.value)?.host === "hostile")!;
    expect(probe).toBeDefined();
    expect((await click(parent, probe)).status).toBe(200);
    const result = await h.api.waitFor(() => h.api.botMessages({ channel: C }).find((m) => m.edits > 0 && /Transcript/.test(visibleText(m.blocks))), 10_000);
    expect(visibleText(result.blocks)).toContain("A required privilege is not held by the client");
    // Help, for completeness: it quotes nothing, but lists hosts.
    expect((await slash("help", C)).status).toBe(200);

    const all = h.api.messages({ channel: C, includeDeleted: true }).filter((m) => m.via !== "user");
    expect(all.length).toBeGreaterThanOrEqual(7);
    // The person who clicked may be named (from the verified payload); nobody else, no broadcast, no link.
    // Links the knowledge base gives (an article's references) are the only links allowed.
    const linkHosts = [...new Set(fixtureArticles().flatMap((a) => (a.links ?? []).map((l) => new URL(l.url).host)))];
    expect(hazards(all, { users: [USER], linkHosts })).toEqual([]);
    expect(JSON.stringify(all)).not.toContain("inj-Pw-0123456");
  }, 60_000);

  it("the checker itself finds each kind of ping and link (so an empty list above means something)", () => {
    const m = (text: string, blocks: unknown[] = []): RecordedMessage => ({ channel: "C", ts: "1.1", text, blocks, user: "U0BOT", via: "chat.postMessage", edits: 0, deleted: false });
    const found = hazards(
      [
        m("<!channel> <@U0INJECT1> <#C1> <http://evil.example|x> http://evil.example @here"),
        m("ok", [{ type: "section", text: { type: "mrkdwn", text: "<!here>" } }, { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "broadcast", range: "channel" }, { type: "user", user_id: "U0INJECT1" }, { type: "link", url: "http://evil.example" }] }] }]),
        m(`<@${USER}> &lt;!channel&gt; <\u200b!here> http:\u200b//evil.example @\u200bchannel`),
      ],
      { users: [USER] },
    );
    expect(found.map((f) => f.what)).toEqual([
      "<!channel>",
      "<@U0INJECT1>",
      "<#C1>",
      "<http://evil.example|x>",
      "http://evil.example",
      "@here",
      "<!here>",
      'rich_text broadcast {"type":"broadcast","range":"channel"}',
      'rich_text user {"type":"user","user_id":"U0INJECT1"}',
      "rich_text link http://evil.example",
    ]);
  });
});
