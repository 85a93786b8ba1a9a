// The load scenario of the reliability suite, shared by its test and `npm run bench` (bench/reliability.ts):
// the real bot (`exchange-bot start`, HTTP mode) in its own process, 10,000 signed events from this one,
// and the Web API stand-in here answering a share of the bot's calls with 429 + Retry-After and with 500.
// Only this module's caller decides what counts as a failure; it returns figures and a list of problems.
import { BOT_SECRET as SECRET, BOT_TOKEN as TOKEN, pool, rssMb, startBot } from "./bot-process.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../src/paths.js";
import { eventCallbackRequest, sendSigned } from "../src/local/signing.js";
import { FaultInjector } from "../src/local/faults.js";
import { startWebApi } from "../src/local/webapi.js";
import { plan, textPools } from "./load-plan.js";
import { percentile } from "./stats.js";

export { textPools } from "./load-plan.js";

// bench/slack.ts starts the bot with these credentials.

export interface LoadOptions {
  /** Signed requests sent in all (pastes, chatter, mentions of pastes, retries, duplicates). */
  events: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The events go in this many rounds; RSS is read after each. */
  rounds: number;
  /** Shares of the bot's chat.* calls the stand-in fails. */
  ratelimited: number;
  httpError: number;
  /** Seconds in Retry-After. */
  retryAfter: number;
  seed: number;
  /** Longest wait for the answers of one round once its events are sent. */
  settleTimeoutMs: number;
  /** The knowledge base the bot runs on and the answers are checked against (tests: the fixture articles). */
  knowledgeDir: string;
}

export const DEFAULT_LOAD: LoadOptions = {
  events: 10_000,
  concurrency: 16,
  rounds: 5,
  ratelimited: 0.1,
  httpError: 0.01,
  retryAfter: 1,
  seed: 6,
  settleTimeoutMs: 90_000,
  knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
};

export interface LoadFigures {
  sent: number;
  /** Requests the bot acknowledged with HTTP 200. */
  acked: number;
  pastes: number;
  chatter: number;
  /** app_mention deliveries of a message already delivered as a paste. */
  mentions: number;
  /** Redeliveries with X-Slack-Retry-Num. */
  retries: number;
  /** Redeliveries of the same event_id without a retry header. */
  duplicates: number;
  /** Pastes whose thread holds the whole answer exactly once. */
  answeredOnce: number;
  /** Pastes with nothing in their thread. */
  lost: number;
  /** Pastes whose thread holds more (or other) messages than one answer. */
  doubled: number;
  /** Chatter messages with any bot reply in their thread. */
  chatterAnswered: number;
  botPosts: number;
  expectedPosts: number;
  /** Bot calls to chat.postMessage and chat.postEphemeral, by the stand-in's outcome. */
  calls: number;
  /** Private warnings about a clear-text password in a paste (chat.postEphemeral). */
  warnings: number;
  ratelimited: number;
  http500: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  sendSeconds: number;
  /** From the first request to the last answer posted. */
  wallSeconds: number;
  /** Bot process RSS (MB) after start-up, after each round, and the highest seen while sampling. */
  rssStartMb: number;
  rssRoundsMb: number[];
  rssPeakMb: number;
  rssEndMb: number;
}

export interface LoadReport {
  figures: LoadFigures;
  problems: string[];
}

export async function runLoad(opts: Partial<LoadOptions> = {}): Promise<LoadReport> {
  const o = { ...DEFAULT_LOAD, ...opts };
  const problems: string[] = [];
  const pools = textPools(o.knowledgeDir);
  if (pools.pastes.length < 5 || pools.chatter.length < 5) throw new Error(`load scenario: too few texts (${pools.pastes.length} pastes, ${pools.chatter.length} chatter)`);
  const channels = Array.from({ length: 40 }, (_, i) => `CLOAD${String(i).padStart(4, "0")}`);
  const { sends, messages } = plan(o.events, o.seed, pools, channels);

  const faults = new FaultInjector();
  const api = await startWebApi({ token: TOKEN, faults });
  const { child, url } = await startBot(api, { KNOWLEDGE_DIR: o.knowledgeDir });
  const pid = child.pid!;
  const acks: number[] = [];
  let acked = 0;
  let botPosts = 0;
  let calls = 0;
  const figures: Partial<LoadFigures> = {};
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // the process is gone; the checks below say so
    }
  }, 100);
  try {
    await new Promise((r) => setTimeout(r, 500));
    figures.rssStartMb = rssMb(pid);
    // auth.test at start-up is left alone: the rates apply to chat.* only.
    faults.setRates({ ratelimited: o.ratelimited, httpError: o.httpError, retryAfter: o.retryAfter, seed: o.seed });
    const roundsRss: number[] = [];
    const per = Math.ceil(sends.length / o.rounds);
    const answers = () => api.botMessages().filter((m) => m.ephemeral_to === undefined);
    const expectedUpTo = (k: number): number => messages.filter((m, i) => i < k).reduce((s, m) => s + m.expected.length, 0);
    const t0 = performance.now();
    let sendMs = 0;
    let lastPost = t0;
    api.on("change", () => void (lastPost = performance.now()));
    for (let r = 0; r < o.rounds; r++) {
      const batch = sends.slice(r * per, (r + 1) * per);
      const ts0 = performance.now();
      await pool(batch, o.concurrency, async (p) => {
        const req = eventCallbackRequest(SECRET, p.event, { event_id: p.eventId }, undefined, p.retryNum ? { retryNum: p.retryNum, retryReason: "http_timeout" } : {});
        const res = await sendSigned(url, req);
        acks.push(res.ms);
        if (res.status === 200) acked++;
        else if (problems.length < 20) problems.push(`a ${p.kind} event was answered HTTP ${res.status}`);
      });
      sendMs += performance.now() - ts0;
      // Wait for every answer of the pastes sent so far, then for the Web API to go quiet.
      const lastMessage = messages.findIndex((m) => m.ts === (batch[batch.length - 1]!.event.ts as string));
      const want = expectedUpTo(lastMessage + 1);
      try {
        await api.waitFor(() => answers().length >= want, o.settleTimeoutMs);
      } catch {
        problems.push(`round ${r + 1}: ${answers().length} of ${want} answer messages after ${o.settleTimeoutMs / 1000} s`);
      }
      calls += api.calls("chat.postMessage").length + api.calls("chat.postEphemeral").length;
      api.trimHistory();
      roundsRss.push(rssMb(pid));
    }
    // Late doubles would come from retries still in flight: wait until nothing has been posted for 3 s.
    const quietUntil = performance.now() + 30_000;
    while (performance.now() - lastPost < 3000 && performance.now() < quietUntil) await new Promise((r) => setTimeout(r, 250));
    calls += api.calls("chat.postMessage").length + api.calls("chat.postEphemeral").length;
    figures.wallSeconds = (lastPost - t0) / 1000;
    figures.sendSeconds = sendMs / 1000;
    figures.rssRoundsMb = roundsRss;
    figures.rssEndMb = rssMb(pid);
    if (child.exitCode !== null) problems.push(`the bot exited with ${child.exitCode} during the run`);

    // Every bot post, by thread (the private password warnings some pastes earn are not answers).
    const byThread = new Map<string, string[]>();
    for (const m of answers()) {
      botPosts++;
      const key = `${m.channel}/${m.thread_ts ?? m.ts}`;
      const list = byThread.get(key) ?? [];
      list.push(m.text);
      byThread.set(key, list);
    }
    let answeredOnce = 0;
    let lost = 0;
    let doubled = 0;
    let chatterAnswered = 0;
    const expectedPosts = messages.reduce((s, m) => s + m.expected.length, 0);
    for (const m of messages) {
      const got = byThread.get(`${m.channel}/${m.ts}`) ?? [];
      byThread.delete(`${m.channel}/${m.ts}`);
      if (m.expected.length === 0) {
        if (got.length) chatterAnswered++;
      } else if (got.length === 0) lost++;
      else if (got.length === m.expected.length && got.every((t, i) => t === m.expected[i])) answeredOnce++;
      else {
        doubled++;
        if (doubled <= 3) problems.push(`paste ${m.channel}/${m.ts}: ${got.length} messages in its thread where one answer is ${m.expected.length}`);
      }
    }
    if (lost) problems.push(`${lost} pastes never answered`);
    if (doubled) problems.push(`${doubled} pastes answered more than once (or partly)`);
    if (chatterAnswered) problems.push(`${chatterAnswered} chatter messages got a reply`);
    if (byThread.size) problems.push(`${byThread.size} bot posts outside any thread sent`);
    const sorted = [...acks].sort((a, b) => a - b);
    Object.assign(figures, {
      sent: sends.length,
      acked,
      pastes: sends.filter((s) => s.kind === "paste").length,
      chatter: sends.filter((s) => s.kind === "chatter").length,
      mentions: sends.filter((s) => s.kind === "mention").length,
      retries: sends.filter((s) => s.kind === "retry").length,
      duplicates: sends.filter((s) => s.kind === "duplicate").length,
      answeredOnce,
      lost,
      doubled,
      chatterAnswered,
      botPosts,
      expectedPosts,
      calls,
      warnings: api.botMessages().filter((m) => m.ephemeral_to !== undefined).length,
      ratelimited: faults.stats.ratelimited,
      http500: faults.stats.httpError,
      ackP50Ms: percentile(sorted, 50),
      ackP99Ms: percentile(sorted, 99),
      ackMaxMs: sorted[sorted.length - 1] ?? NaN,
      rssPeakMb: peak,
    } satisfies Partial<LoadFigures>);
    return { figures: figures as LoadFigures, problems };
  } finally {
    clearInterval(sampler);
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    await api.close();
  }
}
