// Socket Mode against the stand-in, the bot in its own process (`exchange-bot start`): /healthz follows the
// connection, the reconnect waits are capped, a refused app token on reconnect ends the run with one message
// and exit 1, and SIGTERM in the middle of a reconnect loop stops the process.
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector } from "../../src/local/faults.js";
import { signRequest, slashCommandRequest } from "../../src/local/signing.js";
import { startSocketMode, type SocketModeStandIn } from "../../src/local/socket-mode.js";
import { startWebApi, type WebApiStandIn } from "../../src/local/webapi.js";
import { BOT_TOKEN } from "../../testkit/bot-process.js";
import { APP_TOKEN, startReplica, type Replica } from "../../testkit/cluster.js";

let sm: SocketModeStandIn;
let api: WebApiStandIn;
let bot: Replica | undefined;
const faults = new FaultInjector();

async function setup(): Promise<void> {
  faults.reset();
  sm = await startSocketMode();
  api = await startWebApi({ token: BOT_TOKEN, appToken: APP_TOKEN, methods: sm.methods, faults });
  bot = await startReplica({ apiUrl: api.url, mode: "socket", env: { LOG_LEVEL: "info" } });
  await sm.waitForConnections(1);
}
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await sm?.close();
  await api?.close();
});

const health = async (q = ""): Promise<number> => (await fetch(`http://127.0.0.1:${bot!.port}/healthz${q}`)).status;

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

describe("Socket Mode, proven against the stand-in", () => {
  it("apps.connections.open goes to SLACK_API_URL; /healthz?ready=1 follows the connection; back within the capped wait after an outage", { timeout: 120_000 }, async () => {
    await setup();
    expect(api.calls("apps.connections.open").length).toBe(1);
    expect(await health("?ready=1")).toBe(200);
    // An outage: every apps.connections.open answers 503 for 20 s, and the socket drops.
    faults.failNext("apps.connections.open", { kind: "http_error", status: 503 }, 1000);
    sm.drop();
    await until(async () => (await health("?ready=1")) === 503, 10_000);
    expect(await health()).toBe(200); // a short outage: still alive
    await new Promise((r) => setTimeout(r, 20_000));
    expect(await health()).toBe(503); // past the 15 s grace: liveness follows the connection too
    faults.reset();
    const back = await until(() => sm.connections().length === 1, 30_000);
    // The waits between tries are capped at 10 s: once Slack answers again the bot is back within that.
    expect(back).toBeLessThan(12_000);
    await until(async () => (await health("?ready=1")) === 200, 5_000);
    expect(bot!.logs.some((l) => l.event === "socket_lost")).toBe(true);
  });

  it("invalid_auth on reconnect: one clear message, exit 1, no stack trace", { timeout: 60_000 }, async () => {
    await setup();
    faults.failNext("apps.connections.open", { kind: "error", error: "invalid_auth" }, 100);
    sm.drop();
    await until(() => bot!.child.exitCode !== null, 30_000);
    expect(bot!.child.exitCode).toBe(1);
    const err = bot!.stderr();
    expect(err).toMatch(/Slack refused SLACK_APP_TOKEN when reconnecting \(apps\.connections\.open: invalid_auth\)/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err).not.toContain(APP_TOKEN);
  });

  it("a payload Bolt cannot read is acked with one log line, not left for Slack to send again", { timeout: 60_000 }, async () => {
    await setup();
    // A click without `user`. (An events_api envelope without `event` never reaches Bolt: @slack/socket-mode
    // reads event.type before it emits anything, so that one stays unacked.)
    const noUser = { type: "block_actions", team: { id: "T0LOCAL01" }, channel: { id: "C0SOCK001" }, actions: [{ action_id: "probe:0", value: "{}" }] };
    const r = await sm.deliverRequest(signRequest("x", `payload=${encodeURIComponent(JSON.stringify(noUser))}`, "application/x-www-form-urlencoded"), { timeoutMs: 3000 });
    expect(r.acked).toBe(true);
    await until(() => bot!.logs.some((l) => l.event === "socket_refused"), 5_000);
    expect(bot!.logs.filter((l) => l.event === "socket_refused")).toEqual([expect.objectContaining({ reason: "malformed_payload", problem: "no user" })]);
    // The connection carries on: the next command is acked.
    expect((await sm.deliverRequest(slashCommandRequest("x", { text: "11202", channel_id: "C0SOCK001" }), { timeoutMs: 3000 })).acked).toBe(true);
  });

  it("SIGTERM during a reconnect loop stops the process", { timeout: 60_000 }, async () => {
    await setup();
    faults.failNext("apps.connections.open", { kind: "http_error", status: 503 }, 1000);
    sm.drop();
    await until(() => api.calls("apps.connections.open").length >= 3, 30_000);
    const t0 = Date.now();
    bot!.child.kill("SIGTERM");
    await until(() => bot!.child.exitCode !== null || bot!.child.signalCode !== null, 15_000);
    expect(Date.now() - t0).toBeLessThan(8_000);
  });
});
