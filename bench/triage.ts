// Triage benchmark: a 100,000-event event XML export (about 100 MB) and the same events as Export-Csv, each
// read by our streaming triage and by a plain "read it whole, parse, then loop" peer, each in a process of
// its own (so RSS is that reader's). Target from issue 18: 20,000 events/s or better, RSS under 250 MB.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/paths.js";
import { table } from "../testkit/stats.js";
import { KNOWN_SHARE, writeCsv, writeXml } from "./triage-data.js";

const EVENTS = Number(process.env.TRIAGE_BENCH_EVENTS ?? 100_000);

interface Run {
  events: number;
  faults: number;
  seconds: number;
  rssMb: number;
}

function runWorker(mode: string, file: string): Run {
  const worker = join(PROJECT_ROOT, ".bench", "bench", "triage-worker.js");
  return JSON.parse(execFileSync(process.execPath, [worker, mode, file, join(PROJECT_ROOT, "knowledge")], { encoding: "utf8", maxBuffer: 1 << 20 })) as Run;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "triage-bench-"));
  try {
    const files = { "event XML": join(dir, "app.xml"), "Export-Csv": join(dir, "app.csv") };
    await writeXml(files["event XML"], EVENTS);
    await writeCsv(files["Export-Csv"], EVENTS);
    const rows: string[][] = [];
    for (const [label, file] of Object.entries(files)) {
      const mb = (statSync(file).size / 2 ** 20).toFixed(0);
      for (const mode of ["ours", "peer"]) {
        const r = runWorker(mode, file);
        if (r.events !== EVENTS || r.faults !== Math.round(EVENTS * KNOWN_SHARE)) throw new Error(`${mode} ${label}: read ${r.events} events, ${r.faults} faults`);
        rows.push([label, `${mb} MB`, mode === "ours" ? "streaming triage" : "whole file, then loop", String(r.events), r.seconds.toFixed(2), Math.round(r.events / r.seconds).toLocaleString("en-US"), r.rssMb.toFixed(0)]);
      }
    }
    console.log(`\n## triage: ${EVENTS.toLocaleString("en-US")} events, shipped knowledge, each run in its own process\n`);
    console.log(table(["export", "size", "reader", "events", "seconds", "events/s", "peak RSS MB"], rows));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
