// The Web API stand-in, driven by Slack's own WebClient: what the bot's client sends is what gets recorded.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { FaultInjector } from "../../src/local/faults.js";
import { startWebApi, type WebApiStandIn } from "../../src/local/webapi.js";

const TOKEN = "xoxb-test-token";
let api: WebApiStandIn;
const faults = new FaultInjector();

function client(opts: Partial<webApi.WebClientOptions> = {}): webApi.WebClient {
  return new webApi.WebClient(TOKEN, {
    slackApiUrl: api.url,
    logLevel: webApi.LogLevel.ERROR,
    retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 20 },
    ...opts,
  });
}

beforeAll(async () => {
  api = await startWebApi({ token: TOKEN, faults });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => api.reset());

describe("Web API stand-in", () => {
  it("listens on loopback and answers auth.test like Slack", async () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const r = await client().auth.test();
    expect(r.ok).toBe(true);
    expect(r.user_id).toBe(api.botUserId);
    expect(r.bot_id).toBe(api.botId);
  });

  it("rejects a wrong token with invalid_auth", async () => {
    const c = new webApi.WebClient("xoxb-wrong", { slackApiUrl: api.url, logLevel: webApi.LogLevel.ERROR });
    await expect(c.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
  });

  it("records postMessage with blocks and a thread, returns increasing Slack-shaped ts", async () => {
    const c = client();
    const parent = await c.chat.postMessage({ channel: "C1", text: "parent", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }] });
    const reply = await c.chat.postMessage({ channel: "C1", text: "reply", thread_ts: parent.ts! });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    const msgs = api.botMessages({ channel: "C1" });
    expect(msgs.map((m) => m.text)).toEqual(["parent", "reply"]);
    expect(msgs[0]!.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "hi" } }]);
    expect(msgs[1]!.thread_ts).toBe(parent.ts);
    expect(api.botMessages({ thread_ts: parent.ts! })).toHaveLength(2);
  });

  it("updates in place and keeps the change feed in order", async () => {
    const c = client();
    const p = await c.chat.postMessage({ channel: "C1", text: "probing…" });
    const seq = api.lastSeq;
    await c.chat.update({ channel: "C1", ts: p.ts!, text: "done" });
    expect(api.message("C1", p.ts!)).toMatchObject({ text: "done", edits: 1 });
    const changes = api.changesSince(seq);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: "updated", message: { text: "done" } });
    await expect(c.chat.update({ channel: "C1", ts: "1.000001", text: "x" })).rejects.toMatchObject({ data: { error: "message_not_found" } });
  });

  it("refuses blocks that break Block Kit limits, as Slack does", async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
    await expect(client().chat.postMessage({ channel: "C1", text: "x", blocks })).rejects.toMatchObject({ data: { error: "invalid_blocks" } });
    expect(api.botMessages()).toHaveLength(0);
  });

  it("answers not_in_channel for a channel the bot is not in", async () => {
    api.setNotInChannel("C9");
    await expect(client().chat.postMessage({ channel: "C9", text: "x" })).rejects.toMatchObject({ data: { error: "not_in_channel" } });
  });

  it("fails on request with 429 + Retry-After and 500; the WebClient retries and the message lands once", async () => {
    faults.failNext("chat.postMessage", { kind: "ratelimited", retryAfter: 1 });
    faults.failNext("chat.postMessage", { kind: "http_error", status: 500 });
    const t0 = Date.now();
    await client().chat.postMessage({ channel: "C1", text: "eventually" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(api.calls("chat.postMessage").map((c) => c.outcome)).toEqual(["ratelimited", "http_500", "ok"]);
    expect(api.botMessages()).toHaveLength(1);
    expect(faults.stats).toMatchObject({ ratelimited: 1, httpError: 1 });
  });

  it("seeded fault rates repeat the same sequence", async () => {
    const run = async (): Promise<string[]> => {
      api.reset();
      faults.setRates({ httpError: 0.5, seed: 42 });
      const c = client({ retryConfig: { retries: 20, minTimeout: 1, maxTimeout: 2 } });
      for (let i = 0; i < 8; i++) await c.chat.postMessage({ channel: "C1", text: `m${i}` });
      return api.calls("chat.postMessage").map((c) => c.outcome);
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain("http_500");
    expect(a.filter((o) => o === "ok")).toHaveLength(8);
  });

  it("response_url: ephemeral by default, in_channel when asked, replace_original and delete_original on the source message", async () => {
    const url = api.newResponseUrl({ channel: "C1", user: "U1" });
    let r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "only you" }) });
    expect(r.status).toBe(200);
    r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "all", response_type: "in_channel" }) });
    const [eph, pub] = api.botMessages({ channel: "C1" });
    expect(eph).toMatchObject({ text: "only you", ephemeral_to: "U1", via: "response_url" });
    expect(pub!.ephemeral_to).toBeUndefined();

    const src = await client().chat.postMessage({ channel: "C1", text: "pick one" });
    const u2 = api.newResponseUrl({ channel: "C1", user: "U1", messageTs: src.ts! });
    await fetch(u2, { method: "POST", body: JSON.stringify({ replace_original: true, text: "picked" }) });
    expect(api.message("C1", src.ts!)).toMatchObject({ text: "picked", edits: 1 });
    await fetch(u2, { method: "POST", body: JSON.stringify({ delete_original: true }) });
    expect(api.message("C1", src.ts!)!.deleted).toBe(true);
    expect((await fetch(`${api.origin}/response/nope`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("a response_url works five times, then answers used_url", async () => {
    const url = api.newResponseUrl({ channel: "C1", user: "U1" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(url, { method: "POST", body: JSON.stringify({ text: `n${i}` }) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it("leaves the conversation feeds to the local page: only /api/ and /response/ are served", async () => {
    for (const path of ["/local/messages", "/local/changes", "/local/stream", "/local/calls"]) expect((await fetch(`${api.origin}${path}`)).status).toBe(404);
    expect((await fetch(`${api.origin}/local/faults`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("answers an unknown method with unknown_method, and serves methods handed in", async () => {
    const extra = await startWebApi({ token: TOKEN, methods: { "apps.connections.open": () => ({ ok: true, url: "ws://127.0.0.1:1/" }) } });
    try {
      const r = await new webApi.WebClient(TOKEN, { slackApiUrl: extra.url, logLevel: webApi.LogLevel.ERROR }).apiCall("apps.connections.open");
      expect(r).toMatchObject({ ok: true, url: "ws://127.0.0.1:1/" });
    } finally {
      await extra.close();
    }
    await expect(client().apiCall("no.such.method")).rejects.toMatchObject({ data: { error: "unknown_method" } });
  });
});
