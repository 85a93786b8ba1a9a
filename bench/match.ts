// Lookup latency: our matcher against a plain Fuse.js search over the same articles, in the same run.
import { Worker } from "node:worker_threads";
import { loadKnowledge } from "../src/knowledge/load.js";
import { createMatcher } from "../src/match/index.js";
import { syntheticArticles } from "./synthetic-kb.js";
import { germanPaste, multiEventPaste } from "./pastes.js";
import { ms, table, timeSync, type Timing } from "../testkit/stats.js";

/** A plain Fuse.js search over the same articles, cut off after `capMs` when one search takes that long. */
function plainFuse(size: number, text: string, capMs: number): Promise<{ timing?: Timing; top: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./fuse-worker.js", import.meta.url), { workerData: { size, text, iterations: 200, budgetMs: 10_000 } });
    const timer = setTimeout(() => void w.terminate().then(() => resolve({ top: `(> ${capMs / 1000} s, cut off)` })), capMs);
    w.once("message", (m: { timing: Timing; top: string }) => {
      clearTimeout(timer);
      // Wait for the worker to be gone: a plain-Fuse thread still winding down on this 2-core machine would
      // otherwise run beside the next input's timing of our matcher and show up in its p99.
      void w.terminate().then(() => resolve(m), reject);
    });
    w.once("error", (e) => (clearTimeout(timer), reject(e)));
  });
}

const EVENT_PASTE = `Log Name:      Application
Source:        MSExchangePOP3
Date:          11/25/2026 9:14:02 AM
Event ID:      11202
Task Category: None
Level:         Information
Keywords:      Audit Failure
Computer:      EXCH01.contoso.local
Description:
Logon attempt from 10.0.0.5 to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.
`;

/** Real-looking log noise around the error, cut to an exact size. */
function paste(bytes: number): string {
  const noise = "2026-11-25 09:14:0%d SMTP RECV 10.0.0.%d queue=Submission status=250 2.6.0 Queued mail for delivery\n";
  let s = "";
  for (let i = 0; s.length < bytes; i++) s += noise.replace("%d", String(i % 10)).replace("%d", String(i % 250));
  const half = Math.floor((bytes - EVENT_PASTE.length) / 2);
  return (s.slice(0, half) + EVENT_PASTE + s.slice(0, half)).slice(0, bytes);
}

export async function run(): Promise<void> {
  const real = loadKnowledge();
  // IDs are typed after /exchange (command mode); pastes arrive in channels (channel mode).
  const inputs: Array<[string, string, "command" | "channel"]> = [
    ["short ID `11202`", "11202", "command"],
    ["2 KB paste", paste(2048), "channel"],
    ["40 KB paste", paste(40 * 1024), "channel"],
    ["4 KB multi-event paste (Splunk, NXLog, Get-WinEvent)", multiEventPaste(), "channel"],
    ["2 KB German paste (labels, message, POP3 reply)", germanPaste(), "channel"],
  ];
  const rows: string[][] = [];
  for (const [label, articles] of [
    ["real (4)", real],
    ["generated (10,000)", syntheticArticles(10_000, real)],
  ] as const) {
    const t0 = performance.now();
    const matcher = createMatcher(articles);
    const buildMs = performance.now() - t0;
    for (const [name, text, mode] of inputs) {
      const ours = timeSync(() => matcher.match(text, mode), 2000, 8000);
      const found = matcher.match(text, mode).matches[0]?.article.id ?? "-";
      const base = await plainFuse(articles.length, text, 20_000);
      const b = base.timing;
      const row = [label, name, ms(ours.p50), ms(ours.p99), String(ours.n), found, ms(b?.p50 ?? NaN), ms(b?.p99 ?? NaN), String(b?.n ?? 0), base.top];
      console.error(`  ${row.join("  ")}`);
      rows.push(row);
    }
    rows.push([label, `(index build ${ms(buildMs)} ms)`, "", "", "", "", "", "", "", ""]);
  }
  console.log(
    table(["knowledge base", "input", "ours p50 ms", "ours p99 ms", "runs", "ours top", "plain Fuse p50 ms", "plain Fuse p99 ms", "runs", "Fuse top"], rows),
  );
}
