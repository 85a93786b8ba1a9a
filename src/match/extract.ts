// Pulls identifiers out of normalised text, each with how strongly its surroundings say what it is.
// A number is only an event ID when something labels it so; a bare number is weak evidence at best.

export type Strength = "labelled" | "bare";

export interface EventMention {
  id: number;
  strength: Strength;
  /** Where it was found, for evidence lines: "Event ID", "<EventID>", "PowerShell Id column", ... */
  via: string;
}

export interface Extracted {
  events: EventMention[];
  /** KB numbers as Q + digits, e.g. Q171435. */
  kbs: string[];
  /** Event sources named in the text, lower-cased: MSExchange* anywhere, and any labelled source. */
  sources: string[];
  /** Sources given as the source of an event (Source:, ProviderName, <Provider Name=...>). */
  labelledSources: string[];
  hresults: string[];
  smtpCodes: string[];
  /** POP3 server replies seen in the text (lines starting -ERR / +OK). */
  pop3Replies: string[];
  /** 0..1: how much the text reads like Exchange / mail-server material rather than chatter. */
  context: number;
}

const MAX_MENTIONS = 200;

function pushEvent(out: EventMention[], raw: string, strength: Strength, via: string): void {
  if (out.length >= MAX_MENTIONS) return;
  let n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) return;
  // Get-EventLog's InstanceId keeps severity and facility bits above the 16-bit event ID.
  if (n > 65535) n = n & 0xffff;
  if (n > 0) out.push({ id: n, strength, via });
}

/** Numbers after a label, including short lists: "Event IDs 11202, 13003 and 1020". */
function numberList(s: string): string[] {
  return s.match(/\d{1,10}/g) ?? [];
}

const LABELLED: Array<[RegExp, string]> = [
  [/<eventid\b[^>]{0,200}>\s*(\d{1,10})\s*<\/eventid>/gi, "<EventID>"],
  [/"(?:event_?id|eventcode|instanceid)"\s*:\s*"?(\d{1,10})/gi, "JSON event id"],
  // Gaps are bounded: unbounded \s* next to \s* backtracks cubically on a run of spaces.
  [/\bevents?[ \t]{0,3}(?:ids?|codes?|numbers?|no\.?|#)?[ \t]{0,3}(?:[:=#-]|is|was)?\s{0,30}(\d{1,10}(?:[ \t]{0,3}(?:,|\/|and|or|&)[ \t]{0,3}\d{1,10}){0,5})\b/gi, "Event ID"],
  [/\beventcode\s*[:=]\s*(\d{1,10})/gi, "EventCode"],
  [/^[ \t]*(?:id|eventid|instanceid|eventidentifier)\s*:\s*(\d{1,10})\s*$/gim, "PowerShell list"],
];

/** PowerShell/Event Viewer tables: a header with an Id-like column over a line of dashes. */
function tableEventIds(text: string, out: EventMention[]): void {
  const lines = text.split("\n", 5000);
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] ?? "";
    const rule = lines[i + 1] ?? "";
    if (!/^[\s-]+$/.test(rule) || !rule.includes("--")) continue;
    const groups: Array<[number, number]> = [];
    for (let m, re = /-+/g; (m = re.exec(rule)); ) groups.push([m.index, m.index + m[0].length]);
    const col = groups.findIndex(([a, b]) => /^(id|eventid|instanceid|event id)$/i.test(header.slice(a, b).trim()));
    if (col < 0) continue;
    const [, end] = groups[col]!;
    const from = col > 0 ? groups[col - 1]![1] : 0;
    for (let j = i + 2; j < lines.length && j < i + 2 + 500; j++) {
      const row = lines[j] ?? "";
      if (!row.trim()) break;
      for (let m, re = /\d{1,10}/g; (m = re.exec(row)); ) {
        const s = m.index;
        const e = s + m[0].length;
        // Numbers are right-aligned under their header, text columns left-aligned.
        if (e > from && s < end + 1 && (e === end || s >= groups[col]![0]) && !/[\d.:/]/.test(row[s - 1] ?? "") && !/[.:/]\d/.test(row.slice(e, e + 2))) {
          pushEvent(out, m[0], "labelled", "PowerShell Id column");
        }
      }
    }
  }
}

const CONTEXT_PATTERNS: RegExp[] = [
  /\bmsexchange\w*/,
  /\bexchange\s+(?:server|20\d\d|5\.[05]|4\.0|online|admin|management|service)/,
  /\bmicrosoft exchange\b/,
  /\bpop3?\b|\bimap4?\b|\bsmtp\b/,
  /\btelnet\b|\bport 110\b|\bport 995\b/,
  /\bevent viewer\b|\bapplication log\b|\blog name:|\bfailure audit\b|\bevent ?id\b/,
  /\bhrlookupcredentials\b|\bhr lookup credentials\b|\binformation store\b/,
  /\b(?:hub|edge) transport\b|\breceive connector\b|\bms-exch-/,
  /\bservice account\b|\buser manager\b/,
];

// A number right after one of these words names something other than an event.
const CHATTER_NUMBER = /\b(?:pr|prs|pull request|merge request|mr|issue|ticket|jira|build|commit|line|room|order|invoice|page|version|v|port|ext|extension|case|bug|step|item|row|pid|uid|gid|user|no|number|flight|route|release|sprint|rfc|table|figure|chapter)\s*[#:]?\s*$/;

export function extract(text: string, lower: string): Extracted {
  const events: EventMention[] = [];
  for (const [re, via] of LABELLED) {
    for (const m of lower.matchAll(re)) for (const n of numberList(m[1] ?? "")) pushEvent(events, n, "labelled", via);
  }
  if (lower.includes("--")) tableEventIds(text, events);
  for (const m of lower.matchAll(/(?<![\w.:/#$-])(\d{3,5})(?![\w%]|[.:/,]\d)/g)) {
    if (events.length >= MAX_MENTIONS) break;
    if (CHATTER_NUMBER.test(lower.slice(Math.max(0, m.index - 24), m.index))) continue;
    pushEvent(events, m[1] ?? "", "bare", "number");
  }

  const kbs = new Set<string>();
  for (const m of lower.matchAll(/\b(?:q|kb)\s?[-/]?(\d{6,7})\b|\b(?:kb|article(?: id)?|knowledge base(?: article)?)\s*(?:[:#]\s*)?q?(\d{6,7})\b/g)) {
    const n = m[1] ?? m[2];
    if (n && kbs.size < MAX_MENTIONS) kbs.add(`Q${n}`);
  }

  // "MSExchange POP3" is how some people type the source name.
  const joined = text.replace(/\bMSExchange (?=[A-Z0-9])/gi, "MSExchange");
  const labelled = new Set<string>();
  // The first word of a labelled source is enough to tell one source from another.
  for (const m of joined.toLowerCase().matchAll(/(?:\bsource(?:_?name)?|\bprovider(?:\s?name)?)\s*[:=]\s*"?([a-z][\w.-]{1,80})/gm)) {
    if (labelled.size < MAX_MENTIONS) labelled.add(m[1] ?? "");
  }
  for (const m of lower.matchAll(/<provider\b[^>]{0,200}\bname\s*=\s*['"]([^'"]{1,100})['"]/g)) {
    if (labelled.size < MAX_MENTIONS) labelled.add((m[1] ?? "").trim());
  }
  const sources = new Set<string>(labelled);
  for (const m of joined.matchAll(/\bMSExchange[A-Za-z0-9]{1,40}\b/gi)) if (sources.size < MAX_MENTIONS) sources.add(m[0].toLowerCase());

  const hresults = [...new Set((lower.match(/\b0x[0-9a-f]{8}\b/g) ?? []).slice(0, MAX_MENTIONS))];
  const smtpCodes = [...new Set((lower.match(/\b[245]\.\d\.\d{1,3}\b/g) ?? []).slice(0, MAX_MENTIONS))];
  const pop3Replies = (text.match(/^[ \t]*(?:[sS][:>][ \t]*)?[-+](?:ERR|OK)\b[^\n]{0,300}/gim) ?? [])
    .slice(0, MAX_MENTIONS)
    .map((l) => l.replace(/^[ \t]*(?:[sS][:>][ \t]*)?/, "").trim());

  // Server replies and SMTP status codes are mail-server material too.
  let hits = (pop3Replies.length > 0 ? 1 : 0) + (smtpCodes.length > 0 ? 1 : 0);
  for (const re of CONTEXT_PATTERNS) if (re.test(lower)) hits++;
  const context = Math.min(1, hits / 2);

  return {
    events,
    kbs: [...kbs],
    sources: [...sources],
    labelledSources: [...labelled],
    hresults,
    smtpCodes,
    pop3Replies,
    context,
  };
}
