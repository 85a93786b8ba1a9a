// LOCAL_TRANSPORT=socket: local mode over Socket Mode, end to end. The bot opens its connection through the
// stand-in's apps.connections.open, the page's typing and clicks arrive as envelopes, answers come back
// through the Web API, and /healthz follows the connection.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import type { LogRecord } from "../../src/slack/services.js";
import { REASON_BLOCK, REASON_INPUT } from "../../src/render/feedback.js";
import { eventually } from "../slack/harness.js";
import { localConfig } from "./config.js";

let local: LocalMode;
const logs: LogRecord[] = [];
const post = (path: string, body: unknown) => fetch(`http://127.0.0.1:${local.port}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  local = await startLocal(localConfig(mkdtempSync(join(tmpdir(), "local-socket-")), { LOCAL_TRANSPORT: "socket" }), { env: {}, log: (r) => logs.push(r) });
});
afterAll(async () => {
  await local?.stop();
});

describe("local mode over Socket Mode", () => {
  it("the bot connected through apps.connections.open; a paste typed in the page is answered in its thread", async () => {
    expect(local.bot.mode).toBe("socket");
    expect(local.api.calls("apps.connections.open").length).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${local.port}/healthz?ready=1`)).status).toBe(200);
    const r = await post("/local/send", { text: "Event ID: 11202 Source: MSExchangePOP3 Logon attempt has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client." });
    expect(r.status).toBe(200);
    const paste = local.api.messages({ channel: local.info.channel.id }).find((m) => m.via === "user");
    expect(paste).toBeDefined();
    const replies = await local.api.waitFor(() => {
      const got = local.api.botMessages({ channel: local.info.channel.id, thread_ts: paste!.ts });
      return got.length ? got : undefined;
    }, 15_000);
    expect(replies[0]!.thread_ts).toBe(paste!.ts);
  });

  it("/exchange help rides on the ack over the socket too: shown only to the person", async () => {
    const r = await post("/local/send", { text: "/exchange help" });
    expect(r.status).toBe(200);
    const help = await local.api.waitFor(() => local.api.messages({ channel: local.info.channel.id }).find((m) => m.ephemeral_to && /exchange/.test(m.text)), 15_000);
    expect(help.ephemeral_to).toBe(local.info.user.id);
  });

  it("the \"What was wrong?\" form's Send arrives as an interactive envelope, and the reason is recorded", async () => {
    await post("/local/send", { text: "/exchange 11202" });
    const answer = await local.api.waitFor(() => local.api.botMessages({ channel: local.info.channel.id }).find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes('"feedback_no')), 15_000);
    const blockIndex = (answer.blocks as { elements?: { action_id?: string }[] }[]).findIndex((b) => b.elements?.some((e) => e.action_id?.startsWith("feedback_no")));
    const element = (answer.blocks[blockIndex] as { elements: { action_id: string }[] }).elements.findIndex((e) => e.action_id.startsWith("feedback_no"));
    const action_id = (answer.blocks[blockIndex] as { elements: { action_id: string }[] }).elements[element]!.action_id;
    expect((await post("/local/click", { ts: answer.ts, block: blockIndex, element, action_id })).status).toBe(200);
    const opened = await local.api.waitFor(() => local.api.views().at(-1), 15_000);
    const r = await post("/local/submit", { view_id: opened.id, values: { [REASON_BLOCK]: { [REASON_INPUT]: "over the socket" } } });
    expect(await r.json()).toEqual({ ok: true, closed: true });
    await eventually(() => logs.find((l) => l.event === "feedback_reason"));
  });
});
