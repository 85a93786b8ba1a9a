// The Slack surface under load: the real bot (`exchange-bot start`, HTTP mode) in its own process, signed
// requests from this one, and the Web API stand-in here recording what the bot posts.
import { loadavg } from "node:os";
import { eventCallbackRequest, messageEvent, sendSigned, slashCommandRequest, type SignedRequest } from "../src/local/signing.js";
import { startWebApi, type WebApiStandIn } from "../src/local/webapi.js";
import { BOT_TOKEN as TOKEN, BOT_SECRET as SECRET, pool, rssMb, startBot } from "../testkit/bot-process.js";
import { ms, summarise, table } from "../testkit/stats.js";

const N = 1000;
const BURST = 5000;
const BURST_CONCURRENCY = 64;
const PASTE = "Event ID: 11202 Source: MSExchangePOP3 Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";
const CHATTER = ["anyone up for lunch?", "deploy is done, thanks all", "the printer on 3 is jammed again", "can someone review my PR"];

/** Resolves when the stand-in records a bot post in this thread; the time of that post in ms since `t0`. */
export function firstPost(api: WebApiStandIn, channel: string, threadTs: string): Promise<number> {
  return new Promise((resolve) => {
    const on = (c: { type: string; message: { channel: string; thread_ts?: string; via: string } }): void => {
      if (c.type === "posted" && c.message.channel === channel && c.message.thread_ts === threadTs && c.message.via !== "user") {
        api.off("change", on);
        resolve(performance.now());
      }
    };
    api.on("change", on);
  });
}

export async function run(): Promise<void> {
  const api = await startWebApi({ token: TOKEN });
  const { child, url, port } = await startBot(api);
  const pid = child.pid!;
  try {
    // Idle: started, answered its health check, nothing else, given a moment to settle.
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status !== 200) throw new Error("healthz not 200");
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = rssMb(pid);

    // Warm-up: JIT and connection pool, not measured.
    for (let i = 0; i < 50; i++) await sendSigned(url, slashCommandRequest(SECRET, { text: "13003", channel_id: "CWARM", response_url: api.newResponseUrl({ channel: "CWARM", user: "U1" }) }));

    // 1. Slash command ack: signed request sent → HTTP 200 back. The answer is posted after the ack.
    const ack: number[] = [];
    for (let i = 0; i < N; i++) {
      const req = slashCommandRequest(SECRET, { text: i % 2 ? "11202" : "Q247764", channel_id: "CACK", response_url: api.newResponseUrl({ channel: "CACK", user: "U1" }) });
      const r = await sendSigned(url, req);
      if (r.status !== 200) throw new Error(`slash command answered ${r.status}`);
      ack.push(r.ms);
    }
    await api.waitFor(() => api.botMessages({ channel: "CACK" }).length >= 2 * N, 60_000);

    // 2. Paste → first chat.postMessage in its thread, one paste at a time.
    const paste: number[] = [];
    for (let i = 0; i < N; i++) {
      const ev = messageEvent({ channel: "CPASTE", text: PASTE });
      const posted = firstPost(api, "CPASTE", ev.ts as string);
      const t0 = performance.now();
      const r = await sendSigned(url, eventCallbackRequest(SECRET, ev));
      if (r.status !== 200) throw new Error(`event answered ${r.status}`);
      paste.push((await posted) - t0);
    }

    // 3. Sustained events: a burst of pastes and chatter, 64 in flight; time until every paste is answered.
    api.trimHistory();
    const reqs: { req: SignedRequest; paste: boolean }[] = [];
    for (let i = 0; i < BURST; i++) {
      const isPaste = i % 2 === 0;
      reqs.push({ paste: isPaste, req: eventCallbackRequest(SECRET, messageEvent({ channel: "CBURST", text: isPaste ? PASTE : CHATTER[i % CHATTER.length]! })) });
    }
    const pastes = reqs.filter((r) => r.paste).length;
    const t0 = performance.now();
    let acked = 0;
    await pool(reqs, BURST_CONCURRENCY, async ({ req }) => {
      if ((await sendSigned(url, req)).status === 200) acked++;
    });
    const ackedMs = performance.now() - t0;
    await api.waitFor(() => api.botMessages({ channel: "CBURST" }).length >= pastes, 120_000);
    const answeredMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    const answers = api.botMessages({ channel: "CBURST" }).length;
    const loadRss = rssMb(pid);

    // 4. 1,000 signed /exchange commands sent at once, each on its own connection (the outside check's shape): the
    // ack of every one must beat Slack's 3 s. Two rounds; the second, warm one is reported.
    let together = summarise([]);
    for (let round = 0; round < 2; round++) {
      const reqs = Array.from({ length: N }, (_, i) => slashCommandRequest(SECRET, { text: i % 2 ? "11202" : "pop3 logon fails", channel_id: "CTOGETHER", response_url: api.newResponseUrl({ channel: "CTOGETHER", user: "U1" }) }));
      const results = await Promise.all(reqs.map((r) => sendSigned(url, r)));
      if (results.some((r) => r.status !== 200)) throw new Error("a command sent with 999 others was not acked with 200");
      together = summarise(results.map((r) => r.ms));
      // Let the answers drain (no new message for a second) so the next round's acks do not share the machine with them.
      for (let last = -1, until = performance.now() + 60_000; performance.now() < until; ) {
        const now = api.messages({ channel: "CTOGETHER" }).length;
        if (now === last) break;
        last = now;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }

    const a = summarise(ack);
    const p = summarise(paste);
    console.log(
      table(
        ["measure", "n", "p50 ms", "p99 ms", "result"],
        [
          ["/exchange ack (signed request → HTTP 200)", String(a.n), ms(a.p50), ms(a.p99), a.p99 < 50 ? "under the 50 ms target" : "OVER the 50 ms target"],
          ["paste → first chat.postMessage in its thread", String(p.n), ms(p.p50), ms(p.p99), ""],
          [`/exchange ack, ${N} commands sent at once (second round)`, String(together.n), ms(together.p50), ms(together.p99), together.p99 < 500 ? "under the 500 ms target" : "OVER the 500 ms target"],
          [`burst: ${BURST} events (half pastes), ${BURST_CONCURRENCY} in flight`, String(BURST), "", "", `${Math.round(BURST / (ackedMs / 1000))} events/s acked; every paste answered after ${(answeredMs / 1000).toFixed(1)} s (${Math.round(BURST / (answeredMs / 1000))} events/s end to end); ${acked}/${BURST} acked, ${answers}/${pastes} answers`],
          ["bot RSS at idle", "", "", "", `${idleRss.toFixed(1)} MB (${idleRss < 120 ? "under" : "OVER"} the 120 MB target)`],
          ["bot RSS after the runs above", "", "", "", `${loadRss.toFixed(1)} MB`],
        ],
      ),
    );
    console.log(`\nBot: \`exchange-bot start\` in HTTP mode, its own process; client and Web API stand-in in the bench process; loopback, ${process.arch}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine shows up in the tails).`);
    if (answers !== pastes) throw new Error(`burst: ${answers} answers for ${pastes} pastes`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await api.close();
  }
}
