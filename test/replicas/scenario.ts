// Several replicas of the real bot on one Redis, fed like Slack feeds them: every event delivered once, a
// retry of it sent to a different replica, failed deliveries retried elsewhere, the Web API stand-in failing
// a share of calls with 429 and 500, and replicas killed or Redis stopped mid-run. Shared by the multi-replica
// tests (short) and `npm run test:soak` (long). Returns figures and a list of problems; the caller judges.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOT_SECRET as SECRET, BOT_TOKEN as TOKEN, pool } from "../../testkit/bot-process.js";
import { APP_TOKEN, startBalancer, startReplica, type Replica } from "../../testkit/cluster.js";
import { textPools } from "../../testkit/load-scenario.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/paths.js";
import { FaultInjector } from "../../src/local/faults.js";
import { startRedisServer, type RedisServer } from "../../src/local/redis-server.js";
import { blockActionRequest, eventCallbackRequest, messageEvent, sendSigned, type SignedRequest } from "../../src/local/signing.js";
import { startSocketMode } from "../../src/local/socket-mode.js";
import { startWebApi, type WebApiStandIn } from "../../src/local/webapi.js";
import { loadProbeHosts } from "../../src/probe/hosts.js";

export interface ReplicaRunOptions {
  transport: "http" | "socket";
  events: number;
  concurrency: number;
  /** Kill (SIGKILL) replica 1 / drop its socket after this share of the events has been sent. */
  killAt?: number;
  /** Stop Redis after this share and start it again `redisDownMs` later. */
  redisDownAt?: number;
  redisDownMs?: number;
  /** Probe clicks by one person, spread over the replicas. */
  probeClicks: number;
  seed: number;
  settleTimeoutMs: number;
}

export interface ReplicaRunResult {
  pastes: number;
  chatter: number;
  answeredOnce: number;
  lost: number;
  doubled: number;
  chatterAnswered: number;
  deliveries: number;
  ratelimited: number;
  http500: number;
  probesRun: number;
  probesLimited: number;
  degradedSeen: boolean;
  recoveredSeen: boolean;
  problems: string[];
}

const PER_USER = 5;

export async function runReplicas(o: ReplicaRunOptions): Promise<ReplicaRunResult> {
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "replicas-"));
  // One named host that refuses connections: every probe ends fast (a fault) and still counts against the limit.
  const hostsFile = join(dir, "probe-hosts.yml");
  writeFileSync(hostsFile, "hosts:\n  - name: trap\n    host: 127.0.0.1\n    port: 1\n    tls: none\n");
  const hosts = await loadProbeHosts(hostsFile);
  const pools = textPools(DEFAULT_KNOWLEDGE_DIR, hosts);
  const redis: RedisServer = await startRedisServer();
  const faults = new FaultInjector();
  const sm = o.transport === "socket" ? await startSocketMode() : undefined;
  const api: WebApiStandIn = await startWebApi({ token: TOKEN, faults, ...(sm ? { methods: sm.methods, appToken: APP_TOKEN } : {}) });
  const replicas: Replica[] = [];
  const cleanup = async (): Promise<void> => {
    await Promise.all(replicas.map((r) => r.kill("SIGKILL")));
    await sm?.close();
    await api.close();
    await redis.stop();
  };
  try {
    for (let i = 0; i < 3; i++) {
      replicas.push(await startReplica({ apiUrl: api.url, mode: o.transport, redisUrl: redis.url, env: { PROBE_HOSTS_FILE: hostsFile, LOG_LEVEL: "info" } }));
    }
    if (sm) await sm.waitForConnections(3);
    const lb = o.transport === "http" ? await startBalancer(replicas.map((r) => r.port)) : undefined;
    faults.setRates({ ratelimited: 0.1, httpError: 0.01, retryAfter: 1, seed: o.seed });

    // One delivery as Slack makes it, to replica `to` (HTTP: through the balancer; Socket Mode: over that
    // replica's connection); undefined: whichever comes next.
    let deliveries = 0;
    const deliver = async (req: SignedRequest, to: number | undefined): Promise<boolean> => {
      deliveries++;
      if (sm) {
        const conns = sm.connections();
        const conn = to === undefined ? undefined : conns[to % Math.max(1, conns.length)];
        return (await sm.deliverRequest(req, { timeoutMs: 3000, ...(conn ? { connection: conn } : {}) })).acked;
      }
      const headers = to === undefined ? req.headers : { ...req.headers, "x-route-to": String(to % 3) };
      try {
        return (await sendSigned(lb!.url, { body: req.body, headers })).status === 200;
      } catch {
        return false;
      }
    };
    /** Slack's side: deliver to one replica, retry to another; a failed delivery is retried up to 3 times. */
    const send = async (event: Record<string, unknown>, eventId: string, first: number): Promise<void> => {
      let ok = await deliver(eventCallbackRequest(SECRET, event, { event_id: eventId }), first);
      let attempt = 1;
      // The retry a slow ack provokes, arriving at a different replica.
      ok = (await deliver(eventCallbackRequest(SECRET, event, { event_id: eventId }, undefined, { retryNum: attempt++, retryReason: "http_timeout" }), first + 1)) || ok;
      while (!ok && attempt <= 3) {
        ok = await deliver(eventCallbackRequest(SECRET, event, { event_id: eventId }, undefined, { retryNum: attempt++, retryReason: "http_error" }), first + attempt);
      }
    };

    const messages: Array<{ channel: string; ts: string; expected: string[] }> = [];
    const plan: Array<{ event: Record<string, unknown>; id: string }> = [];
    let x = o.seed;
    const rand = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < o.events; i++) {
      const paste = rand() < 0.1;
      const list = paste ? pools.pastes : pools.chatter;
      const text = list[Math.floor(rand() * list.length)]!;
      const channel = `C0REP${i % 7}`;
      const event = messageEvent({ channel, text, user: `U0P${i % 13}` });
      messages.push({ channel, ts: event.ts as string, expected: paste ? pools.expectedTexts(text)! : [] });
      plan.push({ event, id: `EvR${o.seed}x${i}` });
    }
    let sent = 0;
    let degradedSeen = false;
    let recoveredSeen = false;
    const killAt = o.killAt === undefined ? -1 : Math.floor(o.events * o.killAt);
    const redisAt = o.redisDownAt === undefined ? -1 : Math.floor(o.events * o.redisDownAt);
    await pool(plan, o.concurrency, async (p) => {
      const n = sent++;
      if (n === killAt) {
        if (sm) sm.drop(sm.connections()[1]);
        else void replicas[1]!.kill("SIGKILL");
      }
      if (n === redisAt) {
        await redis.stop();
        setTimeout(() => void redis.start(), o.redisDownMs ?? 3000);
      }
      await send(p.event, p.id, n % 3);
    });
    if (redisAt >= 0) {
      for (let i = 0; i < 100 && !redis.running; i++) await new Promise((r) => setTimeout(r, 100));
    }

    // Answers only: private warnings about pasted passwords (chat.postEphemeral) are not counted.
    const threadPosts = () => api.botMessages().filter((m) => m.via === "chat.postMessage" && m.thread_ts);
    // Every paste's own thread, not a count: doubles elsewhere must not make a late answer look lost.
    const short = (): number => {
      const have = new Map<string, number>();
      for (const m of threadPosts()) have.set(`${m.channel}/${m.thread_ts}`, (have.get(`${m.channel}/${m.thread_ts}`) ?? 0) + 1);
      return messages.filter((m) => m.expected.length > (have.get(`${m.channel}/${m.ts}`) ?? 0)).length;
    };
    const settleBy = Date.now() + o.settleTimeoutMs;
    while (short() > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 250));
    if (short() > 0) problems.push(`${short()} pastes still without their answer after ${o.settleTimeoutMs / 1000} s`);
    // Late doubles would come from followers still waiting: give them time to give up or post.
    await new Promise((r) => setTimeout(r, 3000));

    const byThread = new Map<string, string[]>();
    for (const m of threadPosts()) {
      const key = `${m.channel}/${m.thread_ts}`;
      byThread.set(key, [...(byThread.get(key) ?? []), m.text]);
    }
    let answeredOnce = 0;
    let lost = 0;
    let doubled = 0;
    let chatterAnswered = 0;
    for (const m of messages) {
      const got = byThread.get(`${m.channel}/${m.ts}`) ?? [];
      if (!m.expected.length) {
        if (got.length) chatterAnswered++;
      } else if (!got.length) lost++;
      else if (got.length === m.expected.length && got.every((t, i) => t === m.expected[i])) answeredOnce++;
      else {
        doubled++;
        if (doubled <= 3) problems.push(`paste ${m.channel}/${m.ts}: ${got.length} messages where one answer is ${m.expected.length}`);
      }
    }
    // Probe clicks by one person on an answer, each to the next replica: the limit holds for the whole bot.
    faults.setRates(undefined);
    const answered = api.botMessages().find((m) => m.thread_ts);
    let clicks = 0;
    if (answered) {
      for (let i = 0; i < o.probeClicks; i++) {
        const req = blockActionRequest(SECRET, { action_id: "probe:0", value: JSON.stringify({ h: "trap" }), channel_id: answered.channel, user_id: "U0CLICKER", message: { ts: answered.ts, ...(answered.thread_ts ? { thread_ts: answered.thread_ts } : {}), text: answered.text } }, { teamId: api.teamId });
        // One probe of a host at a time runs per thread, across the replicas (a shared claim): let the last one
        // finish (it fails at once; its audit line comes just before its claim is released) before clicking again.
        const heard = (): number => replicas.flatMap((r) => r.logs).filter((l) => l.user === "U0CLICKER" && (l.audit === "probe" || l.event === "probe_refused")).length;
        for (const end = Date.now() + 10_000; heard() < clicks && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 300));
        // A click that reached a dead replica is clicked again (on the next one).
        for (let t = 0; t < 3; t++) {
          if (await deliver(req, i + t)) {
            clicks++;
            break;
          }
        }
      }
    } else problems.push("no answer to click a probe button on");
    await new Promise((r) => setTimeout(r, 2000));

    const logs = replicas.flatMap((r) => r.logs);
    const audits = logs.filter((l) => l.audit === "probe" && l.user === "U0CLICKER");
    const probesRun = audits.filter((a) => a.outcome !== "rate-limited" && a.outcome !== "busy").length;
    const probesLimited = audits.filter((a) => a.outcome === "rate-limited").length;
    degradedSeen = logs.some((l) => l.event === "state_degraded");
    recoveredSeen = logs.some((l) => l.event === "state_recovered");
    if (lost) problems.push(`${lost} pastes never answered`);
    if (doubled) problems.push(`${doubled} pastes answered more than once (or partly)`);
    if (chatterAnswered) problems.push(`${chatterAnswered} chatter messages got a reply`);
    if (answered && probesRun !== PER_USER) problems.push(`one person ran ${probesRun} probes across the replicas (limit ${PER_USER}); ${clicks} clicks acked; refused: ${JSON.stringify(logs.filter((l) => l.event === "click_refused").map((l) => l.reason))}`);
    for (const [i, r] of replicas.entries()) if (i !== 1 && r.child.exitCode !== null) problems.push(`replica ${i} exited (${r.child.exitCode}): ${r.stderr().slice(-300)}`);
    return {
      pastes: messages.filter((m) => m.expected.length).length,
      chatter: messages.filter((m) => !m.expected.length).length,
      answeredOnce,
      lost,
      doubled,
      chatterAnswered,
      deliveries,
      ratelimited: faults.stats.ratelimited,
      http500: faults.stats.httpError,
      probesRun,
      probesLimited,
      degradedSeen,
      recoveredSeen,
      problems,
    };
  } finally {
    await cleanup();
  }
}
