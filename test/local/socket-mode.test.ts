// The Socket Mode stand-in against Slack's own client (@slack/socket-mode, the one Bolt's SocketModeReceiver uses).
import { SocketModeClient } from "@slack/socket-mode";
import { afterEach, describe, expect, it } from "vitest";
import { eventCallbackRequest, messageEvent, slashCommandRequest } from "../../src/local/signing.js";
import { FaultInjector } from "../../src/local/faults.js";
import { startSocketMode, type SocketModeStandIn } from "../../src/local/socket-mode.js";
import { startWebApi } from "../../src/local/webapi.js";

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => "error" as never, setName: () => undefined };

describe("Socket Mode stand-in", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function setup(): Promise<{ sm: SocketModeStandIn; faults: FaultInjector; url: string; client: () => SocketModeClient }> {
    const sm = await startSocketMode();
    const faults = new FaultInjector();
    const api = await startWebApi({ methods: sm.methods, faults });
    cleanup.push(() => sm.close(), () => api.close());
    const client = (): SocketModeClient => {
      const c = new SocketModeClient({ appToken: "xapp-1-test", logger: quiet, clientPingTimeout: 300, clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } } });
      // Ack every envelope the way Bolt does: {envelope_id, payload}.
      c.on("slack_event", async ({ ack, body, retry_num }: { ack: (p?: unknown) => Promise<void>; body: { event_id?: string; command?: string }; retry_num?: number }) => {
        await ack({ seen: body.event_id ?? body.command, retry: retry_num });
      });
      cleanup.push(() => c.disconnect());
      return c;
    };
    return { sm, faults, url: api.url, client };
  }

  it("apps.connections.open hands out a ws://127.0.0.1 URL; hello; envelopes acked by envelope_id, spread over connections", async () => {
    const { sm, client } = await setup();
    await client().start();
    await client().start();
    const ids = await sm.waitForConnections(2);
    expect(sm.opens).toBe(2);
    const results = [];
    for (let i = 0; i < 6; i++) {
      results.push(await sm.deliverRequest(eventCallbackRequest("x", messageEvent({ channel: "C1", text: `hi ${i}` }), { event_id: `Ev${i}` })));
    }
    expect(results.every((r) => r.acked)).toBe(true);
    expect(new Set(results.map((r) => r.connection))).toEqual(new Set(ids));
    expect(results[0]).toMatchObject({ acked: true, payload: { seen: "Ev0" } });
    const retry = await sm.deliverRequest(eventCallbackRequest("x", messageEvent({ channel: "C1", text: "again" }), { event_id: "Ev0" }), { retryAttempt: 2, avoid: results[0]?.connection ?? "" });
    expect(retry).toMatchObject({ acked: true, payload: { seen: "Ev0", retry: 2 } });
    expect(retry.connection).not.toBe(results[0]?.connection);
    const cmd = await sm.deliverRequest(slashCommandRequest("x", { text: "11202" }));
    expect(cmd).toMatchObject({ acked: true, payload: { seen: "/exchange" } });
    expect(sm.strayAcks).toEqual([]);
  });

  it("an envelope nobody acks times out; with no connection it is not delivered", async () => {
    const { sm, url } = await setup();
    expect(await sm.deliverRequest(eventCallbackRequest("x", messageEvent({ channel: "C1", text: "hi" })))).toEqual({ acked: false, connection: undefined, reason: "no_connection" });
    const silent = new SocketModeClient({ appToken: "xapp-1-good", logger: quiet, clientOptions: { slackApiUrl: url } });
    cleanup.push(() => silent.disconnect());
    await silent.start();
    const r = await sm.deliverRequest(eventCallbackRequest("x", messageEvent({ channel: "C1", text: "hi" })), { timeoutMs: 200 });
    expect(r).toMatchObject({ acked: false, reason: "timeout" });
  });

  it("disconnect (refresh_requested) and a dropped socket make the client open a new connection", async () => {
    const { sm, client } = await setup();
    await client().start();
    const [first] = await sm.waitForConnections(1);
    sm.disconnect("refresh_requested");
    await until(() => sm.opens === 2 && sm.connections().length === 1 && sm.connections()[0] !== first);
    const second = sm.connections()[0];
    sm.drop();
    await until(() => sm.opens === 3 && sm.connections().length === 1 && sm.connections()[0] !== second);
    expect((await sm.deliverRequest(eventCallbackRequest("x", messageEvent({ channel: "C1", text: "hi" })))).acked).toBe(true);
  });

  it("apps.connections.open can answer HTTP 503 or invalid_auth (the Web API stand-in's faults)", async () => {
    const { sm, faults, client } = await setup();
    faults.failNext("apps.connections.open", { kind: "http_error", status: 503 });
    await expect(client().start()).rejects.toMatchObject({ statusCode: 503 });
    faults.failNext("apps.connections.open", { kind: "error", error: "invalid_auth" });
    await expect(client().start()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    await client().start();
    expect(sm.connections()).toHaveLength(1);
  });
});

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
