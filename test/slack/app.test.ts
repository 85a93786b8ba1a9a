// The app factory picks its receiver from what it is given; no network is touched before start().
import { describe, expect, it } from "vitest";
import { HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { createProbeService } from "../../src/services/probe.js";
import { createSlackBot } from "../../src/slack/app.js";
import { SlackAuthError } from "../../src/slack/errors.js";
import { fixtureKnowledge } from "../helpers/knowledge.js";

const knowledge = fixtureKnowledge();
const core = { knowledge, probe: createProbeService({ knowledge, hosts: [] }), log: () => {} };

describe("createSlackBot", () => {
  it("HTTP mode uses Bolt's HTTP receiver; Socket Mode its socket receiver", () => {
    const http = createSlackBot({ ...core, botToken: "xoxb-1", signingSecret: "0123456789abcdef" });
    expect(http.mode).toBe("http");
    expect((http.app as unknown as { receiver: unknown }).receiver).toBeInstanceOf(HTTPReceiver);
    const socket = createSlackBot({ ...core, botToken: "xoxb-1", appToken: "xapp-1-A1-1-abc" });
    expect(socket.mode).toBe("socket");
    expect((socket.app as unknown as { receiver: unknown }).receiver).toBeInstanceOf(SocketModeReceiver);
  });

  it("HTTP mode without a signing secret is refused", () => {
    expect(() => createSlackBot({ ...core, botToken: "xoxb-1" })).toThrow(/signingSecret/);
  });

  it("an unreachable Web API at start is one clear error naming SLACK_API_URL", async () => {
    const bot = createSlackBot({ ...core, botToken: "xoxb-1", signingSecret: "0123456789abcdef", slackApiUrl: "http://127.0.0.1:9/api/", port: 0, host: "127.0.0.1", logLevel: "error", clientOptions: { retryConfig: { retries: 0 } } });
    const err = await bot.start().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SlackAuthError);
    expect((err as Error).message).toMatch(/could not reach the Slack Web API at SLACK_API_URL \(http:\/\/127\.0\.0\.1:9\/api\/\)/);
  });
});
