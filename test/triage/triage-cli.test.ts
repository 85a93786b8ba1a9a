// exchange-bot triage through the built launcher: every generated export format, plain, .gz and .zip, and the
// real exports in ../shared/eval/triage-real checked against their MANIFEST.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";
import { readExports } from "../../src/triage/read.js";
import { SKIP } from "../../src/triage/record.js";
import * as gen from "./exports.js";

const dir = mkdtempSync(join(tmpdir(), "triage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), "triage", ...args], {
    encoding: "utf8",
    env: { ...process.env, KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE_DIR },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A zip of stored (uncompressed) entries, built by hand so the test needs no zip tool. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0), local.writeUInt16LE(20, 4), local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18), local.writeUInt32LE(data.length, 22), local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0), central.writeUInt16LE(20, 4), central.writeUInt16LE(20, 6), central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20), central.writeUInt32LE(data.length, 24), central.writeUInt16LE(n.length, 28), central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0), end.writeUInt16LE(centrals.length / 2, 8), end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12), end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const Q = "Q171435";
// Exports written to the second (CSV) keep no milliseconds; those without a computer column have none.
const formats: { name: string; text: string; format: string; skipped: number; first: string; computers: boolean }[] = [
  { name: "save-as.xml", text: gen.saveAsXml(), format: "event-xml", skipped: 1, first: "2026-11-30T23:59:59.999000Z", computers: true },
  { name: "wevtutil.xml", text: gen.wevtutilXml(), format: "event-xml", skipped: 1, first: "2026-11-30T23:59:59.999000Z", computers: true },
  { name: "rendered.xml", text: gen.wevtutilXml(undefined, true), format: "event-xml", skipped: 1, first: "2026-11-30T23:59:59.999000Z", computers: true },
  { name: "export.csv", text: gen.exportCsv(), format: "csv", skipped: 1, first: "2026-11-30T23:59:59.000000Z", computers: true },
  { name: "viewer.csv", text: gen.eventViewerTable(), format: "csv", skipped: 0, first: "2026-11-30T23:59:59.000000Z", computers: false },
  { name: "viewer.txt", text: gen.eventViewerTable(undefined, "\t"), format: "tsv", skipped: 0, first: "2026-11-30T23:59:59.000000Z", computers: false },
  { name: "events.json", text: gen.convertToJson(), format: "json", skipped: 1, first: "2026-11-30T23:59:59.999000Z", computers: true },
  { name: "events.log", text: gen.wevtutilText(), format: "wevtutil-text", skipped: 0, first: "2026-11-30T23:59:59.999000Z", computers: true },
];

describe("exchange-bot triage on generated exports", () => {
  for (const f of formats) {
    it(`${f.name}: counts, times and computers exactly, plain and gzipped`, () => {
      for (const p of [file(f.name, f.text), file(`${f.name}.gz`, gzipSync(f.text))]) {
        const r = cli([p, "--json"]);
        expect(r.err).toBe("");
        expect(r.code).toBe(1);
        const j = JSON.parse(r.out);
        expect(j.files).toEqual([{ name: p.replace(/\.gz$/, ""), format: f.format, events: 9, skipped: f.skipped }]);
        expect(j.events).toBe(9);
        expect(j.other).toBe(2);
        expect(j.faults.map((x: { article: string; count: number }) => [x.article, x.count])).toEqual([[Q, 3], ["E2007-1020", 1]]);
        expect(j.faults[0]).toMatchObject({ events: [{ id: 11202, source: "MSExchangePOP3" }], first: f.first, last: "2026-12-03T09:30:00.000000Z" });
        expect(j.faults[0].computers).toEqual(f.computers ? ["EXCH01.contoso.com", "EXCH02.contoso.com"] : []);
        expect(j.faults[1].computers).toEqual(f.computers ? ["HUB-Ørsted"] : []);
        expect(j.unknown.map((u: { source: string; id: number; count: number }) => [u.source, u.id, u.count])).toEqual([
          ["MSExchangeIS", 9646, 2],
          ["MSExchange ADAccess", 2080, 1],
        ]);
        expect(j.unknown[1].sample).toContain("東京");
      }
    });
  }

  it("Event Viewer's tab-separated text in UTF-16 with a BOM, as Event Viewer saves it", () => {
    const p = file("viewer16.txt", Buffer.from("\uFEFF" + gen.eventViewerTable(undefined, "\t"), "utf16le"));
    const j = JSON.parse(cli([p, "--json"]).out);
    expect(j.files).toEqual([{ name: p, format: "tsv", events: 9, skipped: 0 }]);
    expect(j.faults[0]).toMatchObject({ article: Q, count: 3, first: "2026-11-30T23:59:59.000000Z" });
    expect(j.unknown[1].sample).toContain("東京");
  });

  it("text output: one line per fault, the unknown events with their kb new command, the totals", () => {
    const r = cli([file("t.xml", gen.saveAsXml())]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}Q171435 {2}XFOR: POP3 logon fails.* ×3 {2}2026-11-30T23:59:59\.999000Z … 2026-12-03T09:30:00\.000000Z {2}EXCH01\.contoso\.com, EXCH02\.contoso\.com$/m);
    expect(r.out).toMatch(/^ {2}MSExchangeIS 9646 {2}×2 .*exchange-bot kb new MSExchangeIS-9646 --from -/m);
    expect(r.out).toContain("9 events read, 1 skipped as unreadable, 2 from other sources.");
  });

  it("--since and --top narrow the tally; exit 0 when no known fault is left", () => {
    const p = file("s.xml", gen.saveAsXml());
    const j = JSON.parse(cli([p, "--json", "--top", "1"]).out);
    expect(j.faults.map((f: { article: string }) => f.article)).toEqual([Q]);
    const late = cli([p, "--json", "--since", "2026-12-03T10:00:00Z"]);
    expect(late.code).toBe(0);
    expect(JSON.parse(late.out)).toMatchObject({ events: 1, faults: [], unknown: [{ source: "MSExchangeIS", count: 1 }], other: 0 });
    const since = JSON.parse(cli([p, "--json", "--since", "2026-12-01"]).out);
    expect(since.faults[0]).toMatchObject({ count: 2, first: "2026-12-01T08:00:00.125000Z" });
  });

  it("a .zip's exports are read one by one and tallied together", () => {
    const p = file("logs.zip", zip({ "a.xml": gen.wevtutilXml(), "b.csv": gen.exportCsv() }));
    const r = cli([p, "--json"]);
    expect(r.err).toBe("");
    const j = JSON.parse(r.out);
    expect(j.files.map((f: { name: string; format: string; events: number }) => [f.name, f.format, f.events])).toEqual([
      [`${p}:a.xml`, "event-xml", 9],
      [`${p}:b.csv`, "csv", 9],
    ]);
    expect(j.faults[0]).toMatchObject({ article: Q, count: 6 });
  });

  it("bad usage and files that are no export: exit 2 with one line naming the file", () => {
    for (const [args, msg] of [
      [[], /give one or more/],
      [["--top", "0", "x"], /--top/],
      [["--since", "yesterday", "x"], /--since/],
      [[join(dir, "missing.xml")], /missing\.xml: no such readable file/],
      [[file("notes.txt", "just some notes\n")], /notes\.txt: expected an event log export/],
      [[file("cut.xml.gz", gzipSync(gen.saveAsXml()).subarray(0, 300))], /cut\.xml\.gz: unreadable \(unexpected end of file\)/],
      [[dir], /: unreadable \(EISDIR/],
      [[file("cut.xml", gen.saveAsXml().slice(0, 900))], /cut\.xml: not a readable event-xml export after \d+ events/],
      [[file("fake.evtx", Buffer.concat([Buffer.from("ElfFile\0"), Buffer.alloc(100)]))], /fake\.evtx: a binary \.evtx log; convert it on Windows with 'wevtutil qe fake\.evtx \/lf:true \/f:xml \/e:Events > fake\.xml'/],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, String(args)).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split("\n").length).toBeLessThanOrEqual(2);
    }
  });
});

// The real exports live beside the repository (../shared), not in it: a clean clone has them there, a
// worktree under wt/ one level further up.
const REAL = [join(PROJECT_ROOT, "..", "shared"), join(PROJECT_ROOT, "..", "..", "shared")]
  .map((d) => join(d, "eval", "triage-real"))
  .find((d) => existsSync(d)) ?? join(PROJECT_ROOT, "..", "shared", "eval", "triage-real");

interface ManifestEntry {
  file: string;
  format: string;
  events: number;
  by_provider_id: Record<string, number>;
  first: string;
  last: string;
  computers: string[];
  exchange_providers: string[];
}

describe("exchange-bot triage on the real exports in ../shared/eval/triage-real", () => {
  it("the folder and its manifest are there (a missing folder fails here, never skips)", () => {
    expect(existsSync(join(REAL, "MANIFEST.json")), REAL).toBe(true);
  });
  const manifest: ManifestEntry[] = existsSync(join(REAL, "MANIFEST.json")) ? JSON.parse(readFileSync(join(REAL, "MANIFEST.json"), "utf8")) : [];
  for (const m of manifest) {
    it(`${m.file} (${m.format}, ${m.events} events)`, () => {
      const r = cli([join(REAL, m.file), "--json"]);
      if (m.format !== "event-xml") {
        // .evtx and CLIXML are not read: exit 2, one line naming the file and what to do instead.
        expect(r.code).toBe(2);
        expect(r.err.trim().split("\n")).toHaveLength(1);
        expect(r.err).toContain(m.file);
        expect(r.err).toMatch(m.format === "evtx" ? /wevtutil qe / : /Export-Csv/);
        return;
      }
      expect(r.err).toBe("");
      const j = JSON.parse(r.out);
      expect(j.files[0]).toMatchObject({ events: m.events, skipped: 0 });
      expect(j.events).toBe(m.events);
      const exchange = Object.entries(m.by_provider_id).filter(([k]) => m.exchange_providers.some((p) => k.startsWith(`${p}/`)));
      const counted = j.faults.reduce((n: number, f: { count: number }) => n + f.count, 0) + j.unknown.reduce((n: number, u: { count: number }) => n + u.count, 0);
      expect(counted + j.other).toBe(m.events);
      if (!exchange.length) expect(j.other).toBe(m.events);
      expect(r.code).toBe(j.faults.length ? 1 : 0);
    });
  }
  it("the XML exports' first and last times and computers, exactly", async () => {
    for (const m of manifest.filter((x) => x.format === "event-xml")) {
      const times: string[] = [];
      const computers = new Set<string>();
      const pairs: Record<string, number> = {};
      for await (const part of readExports(join(REAL, m.file)))
        for await (const r of part.records) {
          expect(r).not.toBe(SKIP);
          if (r === SKIP) continue;
          times.push(r.time);
          computers.add(r.computer);
          pairs[`${r.provider}/${r.id}`] = (pairs[`${r.provider}/${r.id}`] ?? 0) + 1;
        }
      times.sort();
      expect(times[0], m.file).toBe(m.first);
      expect(times[times.length - 1], m.file).toBe(m.last);
      expect([...computers].sort()).toEqual(m.computers);
      expect(pairs).toEqual(m.by_provider_id);
    }
  });
});
