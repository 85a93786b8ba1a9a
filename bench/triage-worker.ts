// One triage run in a process of its own, so its RSS is its own: `ours` streams the file through
// triageFiles; `peer` is the plain way, the whole file read and parsed into an array, then looped.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parse } from "csv-parse/sync";
import { SaxesParser } from "saxes";
import { loadKnowledgeBase } from "../src/services/knowledge.js";
import { normaliseTime, type EventRecord } from "../src/triage/record.js";
import { triageFiles } from "../src/triage/run.js";
import { Tally } from "../src/triage/tally.js";

function peerXml(text: string): EventRecord[] {
  const out: EventRecord[] = [];
  const p = new SaxesParser();
  let cur: Partial<EventRecord> & { raw?: string } = {};
  let text_ = "";
  p.on("opentag", (t) => {
    text_ = "";
    if (t.name === "Provider") cur.provider = String(t.attributes.Name ?? "");
    if (t.name === "TimeCreated") cur.time = normaliseTime(String(t.attributes.SystemTime ?? ""));
  });
  p.on("text", (t) => (text_ += t));
  p.on("closetag", (t) => {
    if (t.name === "EventID") cur.id = Number(text_);
    else if (t.name === "Computer") cur.computer = text_;
    else if (t.name === "Message") cur.message = text_;
    else if (t.name === "Event") out.push({ provider: "", id: 0, time: "", computer: "", level: "", message: "", ...cur } as EventRecord), (cur = {});
    text_ = "";
  });
  p.write(text.replace(/^<\?xml[^?]*\?>/, "")).close();
  return out;
}

function peerCsv(text: string): EventRecord[] {
  const rows = parse(text.replace(/^#TYPE[^\n]*\n/, ""), { columns: true, bom: true }) as Record<string, string>[];
  return rows.map((r) => ({ provider: r.ProviderName ?? "", id: Number(r.Id), time: normaliseTime(r.TimeCreated ?? ""), computer: r.MachineName ?? "", level: r.LevelDisplayName ?? "", message: r.Message ?? "" }));
}

const [mode, file, kbDir] = process.argv.slice(2) as [string, string, string];
const knowledge = loadKnowledgeBase(kbDir);
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
const start = performance.now();
let events = 0;
let faults = 0;
if (mode === "ours") {
  const { tally } = await triageFiles([file], knowledge);
  events = tally.events;
  faults = [...tally.faults.values()].reduce((n, f) => n + f.count, 0);
} else {
  const text = readFileSync(file, "utf8");
  const records = file.endsWith(".xml") ? peerXml(text) : peerCsv(text);
  const tally = new Tally(knowledge);
  for (const r of records) tally.add(r);
  events = tally.events;
  faults = [...tally.faults.values()].reduce((n, f) => n + f.count, 0);
}
const seconds = (performance.now() - start) / 1000;
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(JSON.stringify({ events, faults, seconds, rssMb: peak / 2 ** 20 }) + "\n");
