// Shared state: the built bot (HTTP mode, its own process) with in-process state and with Redis, side by
// side in one run: paste → first thread reply, events per second, RSS idle and after 30,000 events; then the
// memory 1,000 half-sent unsigned requests hold in the bot.
import { connect, type Socket } from "node:net";
import { startRedisServer } from "../src/local/redis-server.js";
import { eventCallbackRequest, messageEvent, sendSigned } from "../src/local/signing.js";
import { startWebApi } from "../src/local/webapi.js";
import { BOT_SECRET, BOT_TOKEN, pool, rssMb, startBot } from "../testkit/bot-process.js";
import { ms, summarise, table } from "../testkit/stats.js";
import { firstPost } from "./slack.js";

const PASTE = "Event ID: 11202 Source: MSExchangePOP3 Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";
const CHATTER = ["anyone up for lunch?", "deploy is done, thanks all", "the printer on 3 is jammed again", "can someone review my PR"];
const SEQUENTIAL = 500;
const TOTAL_EVENTS = 30_000;
const CONCURRENCY = 64;

interface Figures {
  p50: number;
  p99: number;
  eventsPerSec: number;
  idleMb: number;
  afterMb: number;
}

async function measure(env: Record<string, string>): Promise<Figures> {
  const api = await startWebApi({ token: BOT_TOKEN });
  const { child, url } = await startBot(api, env);
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idleMb = rssMb(child.pid!);
    for (let i = 0; i < 50; i++) await sendSigned(url, eventCallbackRequest(BOT_SECRET, messageEvent({ channel: "CWARM", text: PASTE })));
    const lat: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const ev = messageEvent({ channel: "CSEQ", text: PASTE });
      const posted = firstPost(api, "CSEQ", ev.ts as string);
      const t0 = performance.now();
      await sendSigned(url, eventCallbackRequest(BOT_SECRET, ev));
      lat.push((await posted) - t0);
    }
    api.trimHistory();
    // The rest of 30,000 events, a tenth of them pastes, 64 in flight; events/s until every paste is answered.
    const n = TOTAL_EVENTS - SEQUENTIAL - 50;
    const events = Array.from({ length: n }, (_, i) => messageEvent({ channel: `CB${i % 50}`, text: i % 10 === 0 ? PASTE : CHATTER[i % CHATTER.length]! }));
    const pastes = events.filter((_, i) => i % 10 === 0).length;
    const before = api.botMessages().length;
    const t0 = performance.now();
    await pool(events, CONCURRENCY, async (ev) => {
      await sendSigned(url, eventCallbackRequest(BOT_SECRET, ev));
    });
    // Every paste has its first reply once as many threads hold bot messages as pastes were sent.
    await api.waitFor(() => new Set(api.botMessages().slice(before).map((m) => `${m.channel}/${m.thread_ts}`)).size >= pastes || undefined, 300_000).catch(() => undefined);
    const secs = (performance.now() - t0) / 1000;
    const s = summarise(lat);
    return { p50: s.p50, p99: s.p99, eventsPerSec: n / secs, idleMb, afterMb: rssMb(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    await api.close();
  }
}

/** 1,000 connections, each declaring a 1 MB - 1 byte unsigned body and sending 1 KB of it, then waiting. */
async function halfSent(): Promise<{ before: number; during: number; refused: number; held: number }> {
  const api = await startWebApi({ token: BOT_TOKEN });
  const { child, port } = await startBot(api);
  const sockets: Socket[] = [];
  let refused = 0;
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const before = rssMb(child.pid!);
    for (let i = 0; i < 1000; i++) {
      const s = connect(port, "127.0.0.1");
      s.on("error", () => undefined);
      s.on("data", (d) => void (d.toString().startsWith("HTTP/1.1 503") && refused++));
      s.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024 - 1}\r\n\r\n`);
      s.write(Buffer.alloc(1024, 0x61));
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const during = rssMb(child.pid!);
    return { before, during, refused, held: 1000 - refused };
  } finally {
    for (const s of sockets) s.destroy();
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    await api.close();
  }
}

export async function run(): Promise<void> {
  const redis = await startRedisServer();
  let mem: Figures;
  let red: Figures;
  try {
    mem = await measure({});
    red = await measure({ REDIS_URL: redis.url });
  } finally {
    await redis.stop();
  }
  console.log(
    table(
      ["state", "paste → first reply p50 ms", "p99 ms", `events/s (${TOTAL_EVENTS.toLocaleString("en")} events, 64 in flight)`, "RSS idle MB", `RSS after ${TOTAL_EVENTS.toLocaleString("en")} events MB`],
      [
        ["in-process", ms(mem.p50), ms(mem.p99), mem.eventsPerSec.toFixed(0), mem.idleMb.toFixed(1), mem.afterMb.toFixed(1)],
        ["Redis (loopback)", ms(red.p50), ms(red.p99), red.eventsPerSec.toFixed(0), red.idleMb.toFixed(1), red.afterMb.toFixed(1)],
        ["Redis − in-process", ms(red.p50 - mem.p50), ms(red.p99 - mem.p99), "", "", ""],
      ],
    ),
  );
  const h = await halfSent();
  console.log(
    table(
      ["1,000 half-sent unsigned 1 MB requests", "value"],
      [
        ["bot RSS before, MB", h.before.toFixed(1)],
        ["bot RSS with all 1,000 open, MB", h.during.toFixed(1)],
        ["held by the bot (under the 64 MB budget)", String(h.held)],
        ["refused at once with 503", String(h.refused)],
      ],
    ),
  );
}
