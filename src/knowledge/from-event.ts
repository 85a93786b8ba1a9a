// A pasted Windows event (Event Viewer's text copy, old or new, Get-EventLog's list, or the event XML)
// read into the fields an article starts from: event id, source, type, category and the literal message.

export interface PastedEvent {
  id?: number;
  source?: string;
  type?: string;
  category?: string;
  /** The description as written, whitespace collapsed. */
  message?: string;
}

type Field = "id" | "source" | "type" | "category" | "message" | "keywords" | "other";

const LABELS: Record<string, Field> = {
  "event id": "id",
  eventid: "id",
  id: "id",
  instanceid: "id",
  "event source": "source",
  source: "source",
  providername: "source",
  "provider name": "source",
  "event type": "type",
  type: "type",
  entrytype: "type",
  level: "type",
  leveldisplayname: "type",
  "event category": "category",
  category: "category",
  "task category": "category",
  description: "message",
  message: "message",
  keywords: "keywords",
  // Labels whose lines end a multi-line description.
  "log name": "other",
  date: "other",
  time: "other",
  user: "other",
  computer: "other",
  opcode: "other",
  "event xml": "other",
  machinename: "other",
  timegenerated: "other",
  timewritten: "other",
  index: "other",
  username: "other",
};

/** Event Viewer and PowerShell spell the audit types without the space; articles use Event Viewer's old names. */
function typeName(raw: string): string {
  const t = raw.trim();
  if (/^failureaudit$|^audit failure$/i.test(t)) return "Failure Audit";
  if (/^successaudit$|^audit success$/i.test(t)) return "Success Audit";
  if (/^\d$/.test(t)) return ["Information", "Critical", "Error", "Warning", "Information", "Verbose"][Number(t)] ?? t;
  return t;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function fromXml(text: string): PastedEvent {
  const ev: PastedEvent = {};
  const id = /<EventID[^>]*>\s*(\d{1,10})\s*<\/EventID>/i.exec(text)?.[1];
  if (id) ev.id = Number(id) & 0xffff;
  const source = /<Provider\s[^>]*Name=["']([^"']+)["']/i.exec(text)?.[1];
  if (source) ev.source = source;
  const level = /<Level>\s*(\d)\s*<\/Level>/i.exec(text)?.[1];
  if (level) ev.type = typeName(level);
  if (/<Keywords>[^<]*<\/Keywords>/i.test(text) && /Audit Failure/i.test(text)) ev.type = "Failure Audit";
  const message = /<Message>([\s\S]*?)<\/Message>/i.exec(text)?.[1];
  if (message) ev.message = collapse(message.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&"));
  return ev;
}

/** Reads what it can; fields it cannot find are left out. */
export function parsePastedEvent(text: string): PastedEvent {
  if (/<EventID[\s>]/i.test(text)) return fromXml(text);
  const ev: PastedEvent = {};
  const message: string[] = [];
  let inMessage = false;
  let keywords = "";
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const m = /^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*:\s?(.*)$/.exec(line);
    const field = m ? LABELS[m[1]!.toLowerCase()] : undefined;
    if (!m || !field) {
      if (inMessage) message.push(line);
      continue;
    }
    const value = m[2]!.trim();
    inMessage = field === "message";
    if (field === "message") {
      if (value) message.push(value);
    } else if (field === "id") {
      if (ev.id === undefined && /^\d{1,10}$/.test(value)) ev.id = Number(value) & 0xffff;
    } else if (field === "source") {
      if (value) ev.source ??= value;
    } else if (field === "type") {
      // Level says Information for audits; the audit outcome in Keywords wins (below).
      if (value) ev.type ??= typeName(value);
    } else if (field === "category") {
      if (value && !/^none$/i.test(value)) ev.category ??= value;
    } else if (field === "keywords") {
      keywords = value;
    }
  }
  if (/audit failure/i.test(keywords)) ev.type = "Failure Audit";
  else if (/audit success/i.test(keywords)) ev.type = "Success Audit";
  const msg = collapse(message.join("\n"));
  if (msg) ev.message = msg;
  return ev;
}
