// The page's server without a browser: what it forwards reaches the bot signed and is answered; what it
// refuses (other sites, forged buttons, bad input) breaks nothing and says why.
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { MAX_MESSAGE_CHARS, slackEscape } from "../../src/local/page-routes.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { MAX_REASON_CHARS } from "../../src/feedback/records.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { REASON_BLOCK, REASON_CALLBACK, REASON_INPUT } from "../../src/render/feedback.js";
import type { LogRecord } from "../../src/slack/services.js";
import { eventually } from "../slack/harness.js";
import { localConfig } from "./config.js";

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

let local: LocalMode;
const logs: LogRecord[] = [];

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: local.port, method, path, headers: { ...(data !== undefined ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const send = (text: string, extra: Record<string, unknown> = {}) => call("POST", "/local/send", { text, ...extra });
const channel = () => local.info.channel.id;

beforeAll(async () => {
  local = await startLocal(localConfig(mkdtempSync(join(tmpdir(), "local-routes-"))), { env: {}, log: (r) => logs.push(r) });
});
afterAll(async () => {
  await local?.stop();
});

describe("local mode's parts", () => {
  it("binds 127.0.0.1, prints as localhost, serves /healthz and the page with a strict CSP", async () => {
    expect(local.url).toBe(`http://localhost:${local.port}`);
    const addr = (await import("node:net")).createConnection({ host: "127.0.0.1", port: local.port });
    await new Promise<void>((resolve, reject) => addr.once("connect", () => resolve()).once("error", reject));
    addr.destroy();
    expect((await call("GET", "/healthz")).status).toBe(200);
    const page = await call("GET", "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/page/app.js">');
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    for (const f of ["app.js", "blocks.js", "icons.js", "style.css"]) expect((await call("GET", `/page/${f}`)).status).toBe(200);
  });

  it("uses the lab POP3 servers as named hosts when there is no probe hosts file", () => {
    expect(local.lab).toBeDefined();
    expect(local.info.labHosts).toBe(true);
    expect(local.hosts.map((h) => h.name)).toEqual(["exchange55-privilege", "exchange55-logon", "healthy", "hub02", "imap-lab", "exo-smtp-disabled"]);
    expect(local.hosts.every((h) => h.host === "127.0.0.1")).toBe(true);
  });

  it("tells the page which articles carry a button for each host, by protocol", () => {
    const byName = new Map(local.info.probeHosts.map((h) => [h.name, h]));
    expect(byName.get("hub02")).toMatchObject({ protocol: "smtp" });
    expect(byName.get("imap-lab")).toMatchObject({ protocol: "imap" });
    for (const h of local.info.probeHosts) {
      const kinds = h.articles.map((id) => fixtureArticles().find((a) => a.id === id)?.probe.kind);
      expect(kinds.every((k) => k === h.protocol), h.name).toBe(true);
    }
    expect(byName.get("healthy")!.articles.length).toBeGreaterThan(0);
  });

  it("serves no file outside the page folder", async () => {
    for (const p of ["/page/..%2Fmode.ts", "/page/blocks.d.ts", "/page/%2e%2e%2fpage-routes.ts", "/page/nope.js", "/page/.env"]) {
      expect((await call("GET", p)).status, p).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("typing in the channel", () => {
  it("a paste becomes a signed message event: the bot answers in its thread", async () => {
    const text = "Event ID: 13003\nSource: MSExchangePOP3\nLogon failure: unknown user name or bad password.";
    const r = await send(text);
    expect(r.status).toBe(200);
    const { ts } = JSON.parse(r.body) as { ts: string };
    const mine = local.api.message(channel(), ts)!;
    expect(mine).toMatchObject({ via: "user", user: local.info.user.id, text: slackEscape(text) });
    const reply = await local.api.waitFor(() => local.api.botMessages({ channel: channel(), thread_ts: ts }).find((m) => m.ts !== ts), 10_000);
    expect(reply.thread_ts).toBe(ts);
    expect(JSON.stringify(reply.blocks)).toContain("13003");
  });

  it("a reply in a thread stays in that thread", async () => {
    const parent = JSON.parse((await send("anyone seen POP3 trouble today?")).body) as { ts: string };
    const r = await send("-ERR A required privilege is not held by the client", { thread_ts: parent.ts });
    expect(r.status).toBe(200);
    const reply = await local.api.waitFor(() => local.api.botMessages({ channel: channel() }).find((m) => m.thread_ts === parent.ts), 10_000);
    expect(JSON.stringify(reply.blocks)).toMatch(/Q171435|Q189732/);
    expect((await send("hi", { thread_ts: "1.000001" })).status).toBe(404);
  });

  it("/exchange becomes a signed slash command; the usage that rides on the ack shows only to the person", async () => {
    const r = await send("/exchange help");
    expect(r.status).toBe(200);
    const help = await local.api.waitFor(() => local.api.messages({ channel: channel(), via: "response_url" }).find((m) => m.ephemeral_to === local.info.user.id));
    expect(JSON.stringify(help.blocks)).toContain("/exchange 11202");
    const listed = JSON.parse((await call("GET", "/local/messages")).body) as { messages: RecordedMessage[] };
    expect(listed.messages.some((m) => m.ts === help.ts)).toBe(true);
  });

  it("refuses other commands, empty text and over-long messages with a reason", async () => {
    const other = await send("/invite @x");
    expect(other.status).toBe(400);
    expect(JSON.parse(other.body).error).toContain("/invite is not a command");
    expect((await send("   ")).status).toBe(400);
    const long = await send("x".repeat(MAX_MESSAGE_CHARS + 1));
    expect(long.status).toBe(413);
    expect(JSON.parse(long.body).error).toContain("40,000");
    expect((await call("POST", "/local/send", "{not json")).status).toBe(400);
    expect((await call("POST", "/local/send", "[1,2]")).status).toBe(400);
  });
});

describe("requests from elsewhere", () => {
  it("another site's page cannot post through the browser, and a rebound DNS name is not served", async () => {
    const before = local.api.messages({ channel: channel() }).length;
    expect((await call("POST", "/local/send", { text: "/exchange 11202" }, { origin: "http://evil.example" })).status).toBe(403);
    expect((await call("POST", "/local/send", JSON.stringify({ text: "/exchange 11202" }), { "content-type": "text/plain" })).status).toBe(415);
    expect((await call("GET", "/local/messages", undefined, { host: `evil.example:${local.port}` })).status).toBe(403);
    expect((await call("GET", "/", undefined, { host: `evil.example:${local.port}` })).status).toBe(403);
    expect((await call("POST", "/local/send", { text: "hi" }, { origin: `http://localhost:${local.port}`, host: `localhost:${local.port}` })).status).toBe(200);
    expect(local.api.messages({ channel: channel() }).length).toBe(before + 1);
  });

  it("the receiver itself still refuses unsigned requests: the page's server is the only way in", async () => {
    const r = await call("POST", "/slack/events", "command=%2Fexchange&text=11202", { "content-type": "application/x-www-form-urlencoded" });
    expect(r.status).toBe(401);
  });
});

describe("clicking buttons", () => {
  async function answerWithButtons(): Promise<RecordedMessage> {
    const { ts } = JSON.parse((await send("Event ID: 11202 HrLookupCredentials() call failed with error: A required privilege is not held by the client.")).body) as { ts: string };
    return local.api.waitFor(() => local.api.botMessages({ channel: channel(), thread_ts: ts }).find((m) => JSON.stringify(m.blocks).includes("feedback_yes")), 10_000);
  }

  function find(m: RecordedMessage, prefix: string): { block: number; element: number; action_id: string } {
    const blocks = m.blocks as { elements?: { type: string; action_id?: string }[] }[];
    for (const [block, b] of blocks.entries()) {
      const element = (b.elements ?? []).findIndex((e) => e.type === "button" && e.action_id?.startsWith(prefix));
      if (element >= 0) return { block, element, action_id: b.elements![element]!.action_id! };
    }
    throw new Error(`no ${prefix} button`);
  }

  it("a click becomes a signed block_actions with the button's own value: the probe runs and updates in place", async () => {
    const m = await answerWithButtons();
    const probe = find(m, "probe");
    const r = await call("POST", "/local/click", { ts: m.ts, ...probe });
    expect(r.status).toBe(200);
    const done = await local.api.waitFor(() => local.api.botMessages({ channel: channel(), thread_ts: m.thread_ts! }).find((x) => x.edits > 0 && x.text.includes("POP3 probe of")), 15_000);
    expect(JSON.stringify(done.blocks)).toContain("PASS ********");
  });

  it("a click on a button that is not there, or not what the page says, is refused and nothing runs", async () => {
    const m = await answerWithButtons();
    const yes = find(m, "feedback_yes");
    const feedbackBefore = logs.filter((l) => l.event === "feedback").length;
    expect((await call("POST", "/local/click", { ts: m.ts, block: yes.block, element: yes.element, action_id: "probe:0" })).status).toBe(409);
    expect((await call("POST", "/local/click", { ts: m.ts, block: 999, element: 0, action_id: yes.action_id })).status).toBe(409);
    expect((await call("POST", "/local/click", { ts: "1.000002", ...yes })).status).toBe(404);
    // The page cannot make up a value: there is no field for one, and an extra one is ignored.
    expect((await call("POST", "/local/click", { ts: m.ts, ...yes, value: "Q000000" })).status).toBe(200);
    const rec = await (async () => {
      for (let i = 0; i < 200; i++) {
        const f = logs.filter((l) => l.event === "feedback");
        if (f.length > feedbackBefore) return f[f.length - 1]!;
        await new Promise((res) => setTimeout(res, 10));
      }
      throw new Error("no feedback line");
    })();
    expect(rec).toMatchObject({ helpful: true, article: "Q171435", user: local.info.user.id });
  });

  it("No opens the \"What was wrong?\" form; Send becomes a signed view_submission through the receiver, once", async () => {
    const m = await answerWithButtons();
    const viewsBefore = local.api.views().length;
    expect((await call("POST", "/local/click", { ts: m.ts, ...find(m, "feedback_no") })).status).toBe(200);
    const opened = await local.api.waitFor(() => local.api.views()[viewsBefore]);
    expect(opened.view).toMatchObject({ callback_id: REASON_CALLBACK, submit: { text: "Send" } });
    const submit = (values: unknown, view_id = opened.id) => call("POST", "/local/submit", { view_id, values });
    // Held to the field's max_length, as Slack's client holds it; nothing reaches the bot.
    const long = await submit({ [REASON_BLOCK]: { [REASON_INPUT]: "x".repeat(MAX_REASON_CHARS + 1) } });
    expect(long.status).toBe(400);
    expect(JSON.parse(long.body)).toMatchObject({ ok: false, error: `"What was wrong" takes at most ${MAX_REASON_CHARS} characters; this has ${MAX_REASON_CHARS + 1}.` });
    expect((await submit({}, "V0NOSUCH")).status).toBe(404);
    const sent = await submit({ [REASON_BLOCK]: { [REASON_INPUT]: "Step 2 names the wrong service" }, other: { field: "ignored" } });
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({ ok: true, closed: true });
    await eventually(() => logs.find((l) => l.event === "feedback_reason"));
    expect(logs.find((l) => l.event === "feedback_reason")).toMatchObject({ article: "Q171435", user: local.info.user.id, chars: "Step 2 names the wrong service".length });
    // The form closed when it was sent: a second Send is refused.
    expect((await submit({ [REASON_BLOCK]: { [REASON_INPUT]: "again" } })).status).toBe(404);
  });

  it("another person's ephemeral message is not shown and cannot be clicked", async () => {
    const url = local.api.newResponseUrl({ channel: channel(), user: "U0SOMEONE" });
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "secret to someone", blocks: [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Yes" }, action_id: "feedback_yes:0", value: "Q171435" }] }] }) });
    const theirs = local.api.messages({ channel: channel() }).find((m) => m.ephemeral_to === "U0SOMEONE")!;
    const listed = JSON.parse((await call("GET", "/local/messages")).body) as { messages: RecordedMessage[] };
    expect(listed.messages.some((m) => m.ts === theirs.ts)).toBe(false);
    expect((await call("POST", "/local/click", { ts: theirs.ts, block: 0, element: 0, action_id: "feedback_yes:0" })).status).toBe(404);
  });
});

describe("the live feed", () => {
  it("streams changes after the snapshot's seq, as server-sent events", async () => {
    const snap = JSON.parse((await call("GET", "/local/messages")).body) as { seq: number };
    const ctrl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${local.port}/local/stream?since=${snap.seq}`, { signal: ctrl.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    await send("streamed hello");
    let text = "";
    const end = Date.now() + 5000;
    while (!text.includes("streamed hello") && Date.now() < end) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    const events = text.split("\n\n").filter((e) => e.includes("data: "));
    const first = JSON.parse(events[0]!.split("data: ")[1]!) as { seq: number; type: string };
    expect(first.seq).toBe(snap.seq + 1);
    expect(text).toContain("streamed hello");
  });
});

describe("a probe hosts file", () => {
  let peer: RunningPeer;
  beforeAll(async () => {
    peer = await startPop3Peer("healthy");
  });
  afterAll(async () => {
    await peer.stop();
  });

  it("replaces the lab servers when one is there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-hosts-"));
    writeFileSync(join(dir, "probe-hosts.yml"), `hosts:\n  - name: mine\n    host: 127.0.0.1\n    port: ${peer.port}\n    tls: none\n`);
    const other = await startLocal(localConfig(dir), { env: {}, log: () => undefined });
    try {
      expect(other.lab).toBeUndefined();
      expect(other.hosts.map((h) => h.name)).toEqual(["mine"]);
      expect(other.info.labHosts).toBe(false);
    } finally {
      await other.stop();
    }
  });
});
