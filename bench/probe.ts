// Probe benchmark: each protocol's probe against a minimal raw client doing the same exchange in the same run
// (the peer in its own process, as a real server is, and in this one), 200 concurrent mixed probes (0 errors,
// 0 leaked sockets), and a cold `exchange-bot probe` against `node -e 0`.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadKnowledge } from "../src/knowledge/load.js";
import { startImapPeer } from "../src/local/imap-peers.js";
import type { RunningPeer } from "../src/local/peer-server.js";
import { startPop3Peer } from "../src/local/pop3-peers.js";
import { startSmtpPeer } from "../src/local/smtp-peers.js";
import { PROJECT_ROOT } from "../src/paths.js";
import { runProbe } from "../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../src/probe/types.js";
import { percentile } from "../testkit/stats.js";
import { rawImap, rawPop3, rawSmtp } from "./raw-clients.js";

const PASSWORD = "bench-password";
const USER = "probe@bench.local";
const ROUNDS = 600;
/** Rounds before each table's measured ones. */
const WARMUP = 60;
/** Rounds of every protocol before any table: the code is compiled, as in a bot that has been running a while. */
const FIRST_WARMUP = 300;
const CONCURRENT = 200;
const COLD_RUNS = 15;

function stats(samples: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const f = (ms: number) => ms.toFixed(2);

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "TLSWrap").length;
}

async function settle(peers: RunningPeer[], baseline: number): Promise<{ open: number; handles: number }> {
  // Closing is asynchronous on both ends; give the loop a moment before counting.
  const until = performance.now() + 2000;
  for (;;) {
    const open = peers.reduce((n, p) => n + p.openConnections(), 0);
    const handles = tcpHandles() - baseline;
    if ((open === 0 && handles <= 0) || performance.now() > until) return { open, handles };
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Row {
  protocol: string;
  exchange: string;
  probe: ReturnType<typeof stats>;
  raw: ReturnType<typeof stats>;
}

/** Probe and raw client against one peer, interleaved and alternating who goes first, so machine noise hits both alike. */
async function compare(target: ProbeTarget, raw: () => Promise<void>, articles: ReturnType<typeof loadKnowledge>, warmup = WARMUP): Promise<{ probe: number[]; raw: number[] }> {
  const probeMs: number[] = [];
  const rawMs: number[] = [];
  const timeProbe = async () => {
    const t = performance.now();
    const r = await runProbe(target, { articles });
    if (!r.ok) throw new Error(`${target.protocol} probe failed against the healthy peer: ${r.diagnosis.summary}`);
    return performance.now() - t;
  };
  const timeRaw = async () => {
    const t = performance.now();
    await raw();
    return performance.now() - t;
  };
  for (let i = 0; i < warmup + ROUNDS; i++) {
    let p: number;
    let r: number;
    if (i % 2 === 0) {
      p = await timeProbe();
      r = await timeRaw();
    } else {
      r = await timeRaw();
      p = await timeProbe();
    }
    if (i >= warmup) {
      probeMs.push(p);
      rawMs.push(r);
    }
  }
  return { probe: probeMs, raw: rawMs };
}

interface PeerPorts {
  pop3: number;
  smtp: number;
  imap: number;
}

/** The healthy peers in a child process (bench/peer-process.ts); `stop` closes its standard input. */
async function peersInOwnProcess(): Promise<{ ports: PeerPorts; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, ".bench/bench/peer-process.js")], {
    env: { ...process.env, BENCH_PEER_PASSWORD: PASSWORD },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  const ports = JSON.parse(first.toString("utf8")) as PeerPorts;
  return {
    ports,
    stop: async () => {
      child.stdin.end();
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** The probe targets of the healthy peers on these ports, logging on as the raw clients do. */
function healthyTargets(ports: PeerPorts): Record<keyof PeerPorts, ProbeTarget> {
  const base = { host: "127.0.0.1", tls: "none" as const, password: PASSWORD, tlsInsecure: false };
  return {
    pop3: { ...base, port: ports.pop3, protocol: "pop3", user: "probe" },
    smtp: { ...base, port: ports.smtp, protocol: "smtp", user: USER },
    imap: { ...base, port: ports.imap, protocol: "imap", user: "probe" },
  };
}

/** One row per protocol: the probe and the raw client against the healthy peers on these ports. */
async function compareAll(ports: PeerPorts, articles: ReturnType<typeof loadKnowledge>, warmup = WARMUP): Promise<Row[]> {
  const t = healthyTargets(ports);
  const rows: Row[] = [];
  for (const [protocol, exchange, target, raw] of [
    ["POP3", "greeting, CAPA, USER, PASS, STAT, QUIT", t.pop3, () => rawPop3(ports.pop3, PASSWORD)],
    ["SMTP", "greeting, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, RSET, QUIT", t.smtp, () => rawSmtp(ports.smtp, USER, PASSWORD)],
    ["IMAP", "greeting, CAPABILITY, LOGIN, STATUS INBOX, LOGOUT", t.imap, () => rawImap(ports.imap, PASSWORD)],
  ] as const) {
    const m = await compare(target, raw, articles, warmup);
    rows.push({ protocol, exchange, probe: stats(m.probe), raw: stats(m.raw) });
  }
  return rows;
}

function printRatios(rows: Row[]): void {
  console.log("| protocol | exchange | probe p50 / p95 ms | raw client p50 / p95 ms | ratio (p50) |");
  console.log("|---|---|---:|---:|---:|");
  for (const r of rows) {
    const ratio = r.probe.p50 / r.raw.p50;
    console.log(`| ${r.protocol} | ${r.exchange} | ${f(r.probe.p50)} / ${f(r.probe.p95)} | ${f(r.raw.p50)} / ${f(r.raw.p95)} | **${ratio.toFixed(2)}×** ${ratio <= 1.5 ? "(≤ 1.5×, met)" : "(over 1.5×: MISSED)"} |`);
  }
  const extra = rows.map((r) => `${r.protocol} ${((r.probe.p50 - r.raw.p50) * 1000).toFixed(0)} µs`).join(", ");
  console.log(`
The probe's own cost (probe p50 minus raw p50): ${extra}.`);
}

/** Median wall time of a command, cold each time (a new process). Async: the peer it talks to lives in this process. */
async function coldMedian(args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t = performance.now();
    const child = spawn(process.execPath, args, { stdio: "ignore", env: { ...process.env, PROBE_HOSTS_FILE: "/nonexistent/probe-hosts.yml" } });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`${args.join(" ")} exited ${code}`);
    times.push(performance.now() - t);
  }
  return percentile([...times].sort((a, b) => a - b), 50);
}

export async function run(): Promise<void> {
  const articles = loadKnowledge();
  const [pop3, smtp, imap] = await Promise.all([
    startPop3Peer("healthy", { password: PASSWORD }),
    startSmtpPeer("smtp-healthy", { password: PASSWORD }),
    startImapPeer({ password: PASSWORD }),
  ]);
  const inProcess = { pop3: pop3.port, smtp: smtp.port, imap: imap.port };
  const { pop3: pop3Target, smtp: smtpTarget, imap: imapTarget } = healthyTargets(inProcess);
  await compareAll(inProcess, articles, FIRST_WARMUP);
  const own = await peersInOwnProcess();
  const apart = await compareAll(own.ports, articles);
  await own.stop();
  const together = await compareAll(inProcess, articles);
  const intro = `${ROUNDS} rounds each after ${FIRST_WARMUP + ROUNDS} + ${WARMUP} warm-up rounds, interleaved, alternating which goes first`;
  console.log(`\nEach protocol's probe against a minimal raw-socket client doing the same exchange, the peer in a process of its own as a real server is (${intro}):\n`);
  printRatios(apart);
  console.log(`\nThe same, the peer in the benchmark's own process: its work shares the thread with the client's, so the probe's cost weighs more (${intro}):\n`);
  printRatios(together);

  // 200 at once, mixed: three POP3 behaviours, the event 1020 connector, a healthy SMTP and an IMAP server.
  const more = await Promise.all([startPop3Peer("exchange55-privilege"), startPop3Peer("exchange55-logon"), startSmtpPeer("exchange2007-1020")]);
  const peers = [pop3, smtp, imap, ...more];
  const cases: Array<{ target: ProbeTarget; expect: (r: ProbeResult) => boolean }> = [
    { target: pop3Target, expect: (r) => r.ok && r.diagnosis.articles.length === 0 },
    { target: { ...pop3Target, port: more[0].port }, expect: (r) => !r.ok && r.diagnosis.articles.join() === "Q171435,Q189732" },
    { target: { ...pop3Target, port: more[1].port }, expect: (r) => !r.ok && r.diagnosis.articles.join() === "Q247764" },
    { target: { ...smtpTarget, port: more[2].port }, expect: (r) => !r.ok && r.diagnosis.articles.join() === "E2007-1020" },
    { target: smtpTarget, expect: (r) => r.ok },
    { target: imapTarget, expect: (r) => r.ok },
  ];
  // Listening servers are not TCPSocketWrap handles, so any growth over this count is a socket left open.
  const before = tcpHandles();
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => {
      const c = cases[i % cases.length]!;
      return runProbe(c.target, { articles }).then((r) => ({ r, ok: c.expect(r) }));
    }),
  );
  const wall = performance.now() - t0;
  const errors = results.filter((x) => !x.ok);
  const { open, handles } = await settle(peers, before);
  const each = stats(results.map(({ r }) => r.totalMs));
  console.log(`\n${CONCURRENT} concurrent mixed probes (POP3 healthy, Exchange 5.5 privilege, 13003 logon failure; SMTP event 1020 connector and healthy; IMAP healthy):\n`);
  console.log("| measure | value |");
  console.log("|---|---:|");
  console.log(`| wall time | ${f(wall)} ms |`);
  console.log(`| probes per second | ${((CONCURRENT / wall) * 1000).toFixed(0)} |`);
  console.log(`| per-probe time p50 / p99 | ${each.p50} / ${each.p99} ms |`);
  console.log(`| unexpected results (errors) | ${errors.length}${errors[0] ? ` (first: ${errors[0].r.diagnosis.summary})` : ""} |`);
  console.log(`| connections still open at the peers | ${open} |`);
  console.log(`| client TCP handles leaked | ${Math.max(0, handles)} |`);

  // Cold start: a healthy probe from a fresh process, against `node -e 0`, alternating, median of each.
  const bin = join(PROJECT_ROOT, "bin/exchange-bot.js");
  const node = await coldMedian(["-e", "0"]);
  const probe = await coldMedian([bin, "probe", `127.0.0.1:${pop3.port}`]);
  const ratio = probe / node;
  console.log(`\nCold start, median of ${COLD_RUNS} fresh processes each (no hosts file; a healthy peer, so the knowledge base is not read):\n`);
  console.log("| command | median ms |");
  console.log("|---|---:|");
  console.log(`| node -e 0 | ${f(node)} |`);
  console.log(`| exchange-bot probe 127.0.0.1:PORT | ${f(probe)} |`);
  console.log(`| **ratio** | **${ratio.toFixed(2)}×** ${ratio <= 2.5 ? "(≤ 2.5×, met)" : "(over 2.5×: MISSED)"} |`);
  await Promise.all(peers.map((p) => p.stop()));
  if (errors.length || open || handles > 0) process.exitCode = 1;
}
