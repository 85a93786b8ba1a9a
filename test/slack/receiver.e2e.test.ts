// Requests that are not ordinary, through the real Bolt HTTP receiver: forged or stale signatures, payloads
// Bolt cannot read, clicks no handler knows, button values holding control characters. Each gets a clear answer
// at once and a log line, and nothing is posted or probed.
import { describe, expect, it } from "vitest";
import { blockActionRequest, eventCallbackRequest, messageEvent, signRequest, slashCommandRequest } from "../../src/local/signing.js";
import { buttons, clickButton, eventually, harnessPerFile, SECRET, sleep, visibleText } from "./harness.js";

const PASTE_11202 =
  "Event Type: Failure Audit\nEvent Source: MSExchangePOP3\nEvent ID: 11202\nDescription: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";

const file = harnessPerFile();
let chan = 0;
/** A fresh channel per test, so tests never read each other's messages. */
const newChannel = (): string => `C${String(++chan).padStart(8, "0")}R`;

/** A signed interactive payload: a real click's payload changed by `edit` (fields removed, values replaced). */
function editedClick(channel: string, edit: (p: Record<string, unknown>) => void) {
  const req = blockActionRequest(SECRET, { action_id: "feedback_yes:0", value: "Q171435", channel_id: channel }, file.h.ws);
  const payload = JSON.parse(new URLSearchParams(req.body).get("payload")!) as Record<string, unknown>;
  edit(payload);
  return signRequest(SECRET, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");
}

/** /exchange Q171435 in a fresh channel: the answer with its probe buttons. */
async function answerWithProbe() {
  const c = newChannel();
  await file.h.send(slashCommandRequest(SECRET, { text: "Q171435", channel_id: c, response_url: file.h.api.newResponseUrl({ channel: c, user: "U0ADMIN01" }) }, file.h.ws));
  const parent = await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => !m.thread_ts && buttons(m).some((b) => b.action_id.startsWith("probe"))));
  return { c, parent, probe: buttons(parent).find((b) => b.action_id.startsWith("probe"))! };
}

describe("request signing", () => {
  it("rejects a forged signature, a stale timestamp and a body changed after signing with 401, posting nothing", async () => {
    const c = newChannel();
    const good = eventCallbackRequest(SECRET, messageEvent({ channel: c, text: PASTE_11202 }), {}, file.h.ws);
    const forged = eventCallbackRequest("0".repeat(32), messageEvent({ channel: c, text: PASTE_11202 }), {}, file.h.ws);
    const stale = eventCallbackRequest(SECRET, messageEvent({ channel: c, text: PASTE_11202 }), {}, file.h.ws, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const tampered = { ...good, body: good.body.replace("Failure Audit", "Failure Audix") };
    const slashForged = slashCommandRequest("f".repeat(32), { text: "11202", channel_id: c }, file.h.ws);
    const slashStale = slashCommandRequest(SECRET, { text: "11202", channel_id: c }, file.h.ws, { timestamp: Math.floor(Date.now() / 1000) - 301 - 60 });
    const unsigned = { body: good.body, headers: { "content-type": "application/json" } };
    const resigned = signRequest(SECRET, good.body, "application/json", { timestamp: Math.floor(Date.now() / 1000) - 400 });
    for (const req of [forged, stale, tampered, slashForged, slashStale, unsigned, resigned]) {
      expect((await file.h.send(req)).status).toBe(401);
    }
    await sleep(200);
    expect(file.h.api.messages({ channel: c })).toHaveLength(0);
  });
});


describe("health", () => {
  it("GET /healthz answers 200 once ready", async () => {
    const r = await fetch(`http://127.0.0.1:${file.h.port}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });
});

describe("payloads Bolt cannot read", () => {
  it("a click without `user`: 400 naming what is missing, one log line, nothing posted", async () => {
    const c = newChannel();
    const r = await file.h.send(editedClick(c, (p) => delete p.user));
    expect(r.status).toBe(400);
    expect(r.body).toContain("malformed Slack payload: no user");
    expect(file.h.logs.filter((l) => l.event === "http_refused")).toEqual([expect.objectContaining({ reason: "malformed_payload", problem: "no user", status: 400 })]);
    const nullUser = await file.h.send(editedClick(c, (p) => (p.user = null)));
    expect(nullUser.status).toBe(400);
    await sleep(200);
    expect(file.h.api.botMessages({ channel: c })).toHaveLength(0);
  });

  it("an event_callback whose `event` is null: 400, and a well-formed request right after is answered", async () => {
    const c = newChannel();
    const good = eventCallbackRequest(SECRET, messageEvent({ channel: c, text: PASTE_11202 }), {}, file.h.ws);
    const body = JSON.parse(good.body) as Record<string, unknown>;
    body.event = null;
    const r = await file.h.send(signRequest(SECRET, JSON.stringify(body), "application/json"));
    expect(r.status).toBe(400);
    expect(r.body).toContain("no event");
    expect((await file.h.send(good)).status).toBe(200);
    await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => m.thread_ts));
  });
});

describe("an event_callback with no event", () => {
  it("no `event` key at all: 400 at once (not Bolt's 404 after 3 s), and the next request is answered", async () => {
    const c = newChannel();
    const good = eventCallbackRequest(SECRET, messageEvent({ channel: c, text: PASTE_11202 }), {}, file.h.ws);
    const body = JSON.parse(good.body) as Record<string, unknown>;
    delete body.event;
    const r = await file.h.send(signRequest(SECRET, JSON.stringify(body), "application/json"));
    expect(r.status).toBe(400);
    expect(r.body).toContain("no event");
    expect(r.ms).toBeLessThan(3000);
    expect((await file.h.send(good)).status).toBe(200);
    await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => m.thread_ts));
  });
});

describe("clicks the guard refuses", () => {
  it("an unknown action_id is acked at once (not left for Bolt's 3 s timeout and 404), with a log line", async () => {
    const c = newChannel();
    const r = await file.h.send(editedClick(c, (p) => ((p.actions as Record<string, unknown>[])[0]!.action_id = "no_such_action:0")));
    expect(r.status).toBe(200);
    // Slack's own limit for an ack; Bolt's unhandled-request path answers 404 only after 3 s.
    expect(r.ms).toBeLessThan(3000);
    expect(file.h.logs).toContainEqual(expect.objectContaining({ event: "click_refused", reason: "unknown_action", action: "no_such_action" }));
  });

  it("a probe button value holding a NUL byte is refused as damaged, not reported as an unknown host; nothing is probed", async () => {
    const { c, parent, probe } = await answerWithProbe();
    const audits = file.h.audits.length;
    const value = probe.value.replace(/"h":"/, '"h":"\u0000');
    expect(value).toContain("\u0000");
    const r = await clickButton(file.h, parent, { ...probe, value });
    expect(r.status).toBe(200);
    await eventually(() => file.h.logs.find((l) => l.event === "click_refused" && l.reason === "malformed_value"));
    const told = await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => m.via === "response_url" && /damaged/.test(visibleText(m.blocks) + m.text)));
    expect(told.text).not.toMatch(/not in the probe hosts file/);
    await sleep(200);
    expect(file.h.logs.some((l) => l.event === "probe_refused")).toBe(false);
    expect(file.h.audits.length).toBe(audits);
  });
});
