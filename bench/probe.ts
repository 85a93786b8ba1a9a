// Probe benchmark: the probe against a minimal raw-socket client doing the same exchange, then 200 probes at once.
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { loadKnowledge } from "../src/knowledge/load.js";
import { startPop3Peer, type RunningPeer } from "../src/local/pop3-peers.js";
import { runProbe } from "../src/probe/run.js";
import type { ProbeResult } from "../src/probe/types.js";
import { percentile } from "../testkit/stats.js";

const PASSWORD = "bench-password";
const ROUNDS = 1000;
const WARMUP = 100;
const CONCURRENT = 200;

/** The least a client can do for the KB's telnet test: greeting, CAPA, USER, PASS, STAT, QUIT, no checks beyond +OK. */
function rawExchange(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port });
    sock.setNoDelay(true);
    const script = ["CAPA", "USER probe", `PASS ${PASSWORD}`, "STAT", "QUIT"];
    let buf = "";
    let inCapa = false;
    sock.setEncoding("utf8");
    sock.on("error", reject);
    sock.on("data", (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf("\r\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inCapa) {
          if (line === ".") inCapa = false;
          else continue;
        } else if (!line.startsWith("+OK")) {
          sock.destroy();
          reject(new Error(`raw client got ${line}`));
          return;
        } else if (script[0] === "USER probe" && line.startsWith("+OK Capability")) {
          inCapa = true;
          continue;
        }
        const next = script.shift();
        if (next === undefined) {
          sock.destroy();
          resolve();
          return;
        }
        sock.write(`${next}\r\n`);
      }
    });
  });
}

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

export async function run(): Promise<void> {
  const articles = loadKnowledge();
  const healthy = await startPop3Peer("healthy", { password: PASSWORD });
  const target = { host: healthy.host, port: healthy.port, tls: "none" as const, user: "probe", password: PASSWORD, tlsInsecure: false };

  // Same run, interleaved, so machine noise hits both alike.
  const probeMs: number[] = [];
  const rawMs: number[] = [];
  const timeProbe = async () => {
    const t = performance.now();
    const r = await runProbe(target, { articles });
    if (!r.ok) throw new Error(`probe failed against the healthy peer: ${r.diagnosis.summary}`);
    return performance.now() - t;
  };
  const timeRaw = async () => {
    const t = performance.now();
    await rawExchange(healthy.port);
    return performance.now() - t;
  };
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    // Alternate who goes first: the second of a pair runs on a loop just warmed by the first.
    const [p, raw] = i % 2 === 0 ? [await timeProbe(), await timeRaw()] : [-1, await timeRaw()];
    const p2 = p >= 0 ? p : await timeProbe();
    if (i >= WARMUP) {
      probeMs.push(p2);
      rawMs.push(raw);
    }
  }
  const ps = stats(probeMs);
  const rs = stats(rawMs);
  const ratio = ps.p50 / rs.p50;
  console.log(`\nProbe vs minimal raw-socket client, same exchange (greeting, CAPA, USER, PASS, STAT, QUIT) against a local peer, ${ROUNDS} rounds each, interleaved, alternating which goes first:\n`);
  console.log("| client | p50 ms | p95 ms | p99 ms | mean ms |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(`| exchange-bot probe | ${f(ps.p50)} | ${f(ps.p95)} | ${f(ps.p99)} | ${f(ps.mean)} |`);
  console.log(`| raw socket client | ${f(rs.p50)} | ${f(rs.p95)} | ${f(rs.p99)} | ${f(rs.mean)} |`);
  console.log(`| **ratio (p50)** | **${ratio.toFixed(2)}×** | ${(ps.p95 / rs.p95).toFixed(2)}× | | target ≤ 1.5× ${ratio <= 1.5 ? "(met)" : "(MISSED)"} |`);

  // 200 at once against the three lab behaviours, each result checked against what that peer must produce.
  const peers = [healthy, await startPop3Peer("exchange55-privilege"), await startPop3Peer("exchange55-logon")];
  const expected: Array<(r: ProbeResult) => boolean> = [
    (r) => r.ok && r.diagnosis.articles.length === 0,
    (r) => !r.ok && r.diagnosis.articles.join() === "Q171435,Q189732",
    (r) => !r.ok && r.diagnosis.articles.join() === "Q247764",
  ];
  // Listening servers are not TCPSocketWrap handles, so any growth over this count is a socket left open.
  const before = tcpHandles();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => {
      const peer = peers[i % peers.length]!;
      return runProbe({ ...target, port: peer.port }, { articles }).then((r) => ({ r, i }));
    }),
  );
  const wall = performance.now() - t0;
  const errors = results.filter(({ r, i }) => !expected[i % expected.length]!(r));
  const { open, handles } = await settle(peers, before);
  const each = stats(results.map(({ r }) => r.totalMs));
  const rssAfter = process.memoryUsage().rss;
  console.log(`\n${CONCURRENT} concurrent probes against local peers (healthy, Exchange 5.5 privilege, 13003 logon failure):\n`);
  console.log("| measure | value |");
  console.log("|---|---:|");
  console.log(`| wall time | ${f(wall)} ms |`);
  console.log(`| probes per second | ${((CONCURRENT / wall) * 1000).toFixed(0)} |`);
  console.log(`| per-probe time p50 / p99 | ${each.p50} / ${each.p99} ms |`);
  console.log(`| unexpected results (errors) | ${errors.length}${errors[0] ? ` (first: ${errors[0].r.diagnosis.summary})` : ""} |`);
  console.log(`| connections still open at the peers | ${open} |`);
  console.log(`| client TCP handles leaked | ${Math.max(0, handles)} |`);
  console.log(`| RSS growth | ${((rssAfter - rssBefore) / 1048576).toFixed(1)} MB |`);
  await Promise.all(peers.map((p) => p.stop()));
  if (errors.length || open || handles > 0) process.exitCode = 1;
}
