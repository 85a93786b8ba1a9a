// The real bot on a loopback port, the Web API stand-in it talks to, and scripted POP3 peers as named hosts.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startLabPeers, type LabPeers } from "../../src/local/lab-peers.js";
import { blockActionRequest, sendSigned, type SendResult, type SignedRequest, type Workspace } from "../../src/local/signing.js";
import { startWebApi, type RecordedMessage, type WebApiStandIn } from "../../src/local/webapi.js";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import type { NamedHost } from "../../src/probe/types.js";
import type { AuditEntry } from "../../src/services/audit.js";
import { createProbeService, type ProbeTimeouts } from "../../src/services/probe.js";
import { createSlackBot, type SlackBot, type SlackBotOptions } from "../../src/slack/app.js";
import { fixtureKnowledge } from "../helpers/knowledge.js";
import type { LogRecord } from "../../src/slack/services.js";

export const TOKEN = "xoxb-0000000000-test-token";
export const SECRET = "8f742231b10e8888abcd0000000085a5";

export interface Harness {
  api: WebApiStandIn;
  bot: SlackBot;
  lab: LabPeers;
  env: NodeJS.ProcessEnv;
  url: string;
  port: number;
  ws: Workspace;
  logs: LogRecord[];
  audits: AuditEntry[];
  send(req: SignedRequest): Promise<SendResult>;
  close(): Promise<void>;
}

/** What a test may change: the named hosts and their passwords, the limiter, probe timeouts, and any bot option. */
export interface HarnessOptions extends Partial<SlackBotOptions> {
  hosts?: NamedHost[];
  env?: NodeJS.ProcessEnv;
  limiter?: ProbeLimiter;
  probeTimeouts?: ProbeTimeouts;
  /** A Web API stand-in another harness started (two replicas, one workspace); the harness that started it closes it. */
  api?: WebApiStandIn;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { hosts, env: givenEnv, limiter, probeTimeouts, api: sharedApi, ...extra } = options;
  const api = sharedApi ?? (await startWebApi({ token: TOKEN }));
  const env: NodeJS.ProcessEnv = givenEnv ?? {};
  const lab = await startLabPeers(env);
  const knowledge = fixtureKnowledge();
  const logs: LogRecord[] = [];
  const audits: AuditEntry[] = [];
  const bot = createSlackBot({
    knowledge,
    probe: createProbeService({
      knowledge,
      hosts: hosts ?? lab.hosts,
      env,
      limiter: limiter ?? new ProbeLimiter(),
      audit: (a) => audits.push(a),
      timeouts: probeTimeouts ?? { timeoutMs: 5000, stepTimeoutMs: 2000, loginTimeoutMs: 3000 },
    }),
    botToken: TOKEN,
    signingSecret: SECRET,
    slackApiUrl: api.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: "error",
    log: (r) => logs.push(r),
    clientOptions: { retryConfig: { retries: 4, minTimeout: 5, maxTimeout: 20 } },
    ...extra,
  });
  const { port } = await bot.start();
  const url = `http://127.0.0.1:${port!}/slack/events`;
  return {
    api,
    bot,
    lab,
    env,
    url,
    port: port!,
    ws: { teamId: api.teamId, botUserId: api.botUserId },
    logs,
    audits,
    send: (req) => sendSigned(url, req),
    async close() {
      await bot.stop();
      await lab.stop();
      if (!sharedApi) await api.close();
    },
  };
}

/** One harness for a test file: started before its tests, closed after them, its log lines cleared before each. */
export function harnessPerFile(options: HarnessOptions = {}): { readonly h: Harness } {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    if (started) started.logs.length = 0;
  });
  return {
    get h(): Harness {
      if (!started) throw new Error("harnessPerFile: the harness starts in beforeAll; use it inside a test");
      return started;
    },
  };
}

/** Every string in a Block Kit tree, in document order: what a reader of the message can see. */
export function visibleText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== "text" || typeof v !== "string") walk(v);
    }
  };
  walk(node);
  return out.join("\n");
}

export function buttons(m: RecordedMessage): { action_id: string; value: string; text: string; block_id: string }[] {
  const out: { action_id: string; value: string; text: string; block_id: string }[] = [];
  for (const b of m.blocks as Record<string, unknown>[]) {
    const els = b.type === "actions" ? (b.elements as Record<string, unknown>[]) : b.accessory ? [b.accessory as Record<string, unknown>] : [];
    for (const e of els) {
      if (e.type === "button") out.push({ action_id: String(e.action_id), value: String(e.value), text: String((e.text as { text: string }).text), block_id: String(b.block_id ?? "") });
    }
  }
  return out;
}

/** Clicks button `b` of message `m` as `user`: a signed block_actions with a response_url tied to that message. */
export function clickButton(h: Harness, m: RecordedMessage, b: ReturnType<typeof buttons>[number], user = "U0ADMIN01"): Promise<SendResult> {
  const responseUrl = h.api.newResponseUrl({ channel: m.channel, user, messageTs: m.ts });
  return h.send(
    blockActionRequest(
      SECRET,
      {
        action_id: b.action_id,
        value: b.value,
        block_id: b.block_id,
        text: b.text,
        user_id: user,
        channel_id: m.channel,
        message: { ts: m.ts, text: m.text, blocks: m.blocks, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) },
        ...(m.ephemeral_to ? { ephemeral: true } : {}),
        response_url: responseUrl,
      },
      h.ws,
    ),
  );
}

/** The numbered steps of a thread message, from its rich-text ordered lists, with their numbers. */
export function numberedSteps(m: RecordedMessage): { n: number; text: string }[] {
  const out: { n: number; text: string }[] = [];
  for (const b of m.blocks as Record<string, unknown>[]) {
    if (b.type !== "rich_text") continue;
    for (const el of b.elements as Record<string, unknown>[]) {
      if (el.type !== "rich_text_list" || el.style !== "ordered") continue;
      const offset = Number(el.offset ?? 0);
      (el.elements as { elements: { text: string }[] }[]).forEach((item, i) => out.push({ n: offset + i + 1, text: item.elements.map((t) => t.text).join("") }));
    }
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value (for things outside the stand-in, such as log lines). */
export async function eventually<T>(probe: () => T | undefined | false | null, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`eventually: condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
