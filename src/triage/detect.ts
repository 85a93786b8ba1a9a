// Which export a file is, from its first bytes and text, never from its name.

export type Format = "event-xml" | "csv" | "tsv" | "json" | "wevtutil-text";
export type Container = "gzip" | "zip" | "evtx" | "plain";

export function containerOf(head: Buffer): Container {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"))) return "zip";
  if (head.subarray(0, 8).toString("latin1") === "ElfFile\0") return "evtx";
  return "plain";
}

/** The text encoding a BOM (or UTF-16's zero bytes) says; UTF-8 otherwise. */
export function encodingOf(head: Buffer): "utf-8" | "utf-16le" | "utf-16be" {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  if (head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0) return "utf-16le";
  return "utf-8";
}

export type Detected = { format: Format } | { unsupported: string } | undefined;

/** The export this text opens like; `unsupported` for a known format this reader does not read; undefined for no export. */
export function detectFormat(headText: string): Detected {
  const t = headText.replace(/^\uFEFF/, "").trimStart();
  if (t.startsWith("<")) {
    if (/<Objs\b[^>]*schemas\.microsoft\.com\/powershell/.test(t))
      return { unsupported: "PowerShell CLIXML (Export-Clixml); export with Get-WinEvent ... | Export-Csv, or ConvertTo-Json, instead" };
    if (/<Event[\s>]/.test(t) && /<(\w+:)?(System|Provider)\b/.test(t)) return { format: "event-xml" };
    return undefined;
  }
  if (t.startsWith("[") || t.startsWith("{")) return /"ProviderName"\s*:/.test(t) && /"Id"\s*:/.test(t) ? { format: "json" } : undefined;
  if (/^Event\[\d+\]:/.test(t)) return { format: "wevtutil-text" };
  const lines = t.split(/\r?\n/);
  const header = /^#TYPE /.test(lines[0] ?? "") ? (lines[1] ?? "") : (lines[0] ?? "");
  const tabs = header.split("\t").length;
  const commas = header.split(",").length;
  const cells = (tabs > commas ? header.split("\t") : header.split(",")).map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
  const has = (...n: string[]) => n.some((x) => cells.includes(x));
  if (has("providername", "source") && has("id", "event id")) return { format: tabs > commas ? "tsv" : "csv" };
  return undefined;
}
