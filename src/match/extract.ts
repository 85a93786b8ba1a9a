// Pulls identifiers out of normalised text, each with how strongly its surroundings say what it is.
// A number is only an event ID when something labels it so; a bare number is weak evidence at best.
import { findKbs } from "./kb-numbers.js";
import { tableEventIds } from "./event-tables.js";
import { findSources, sourcedNumbers } from "./sources.js";

/** labelled: a label, an event table column or a field says so; line: a source stands beside it; bare: a number. */
export type Strength = "labelled" | "line" | "bare";

export interface EventMention {
  id: number;
  strength: Strength;
  /** The source standing beside it on its line, lower-case, when there is one. */
  source?: string;
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
  /** Other products' source and tool names (dhcp, robocopy, ...): they contradict an Exchange reading. */
  foreign: string[];
  foreignAt: number[];
  /** HRESULTs (0x80070522) and labelled Win32 codes (1314). */
  hresults: string[];
  /** The same codes with where each was found. */
  codeSpots: Array<{ code: string; at: number }>;
  smtpCodes: string[];
  /** SMTP replies by both codes, as "535 5.7.3". */
  smtpReplies: string[];
  /** POP3 server replies seen in the text (lines starting -ERR / +OK). */
  pop3Replies: string[];
  /** 0..1: how much the text reads like Exchange / mail-server material rather than chatter. */
  context: number;
}

const MAX_MENTIONS = 200;

function pushEvent(out: EventMention[], raw: string, strength: Strength, via: string, source?: string): void {
  if (out.length >= MAX_MENTIONS) return;
  let n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) return;
  // Get-EventLog's InstanceId keeps severity and facility bits above the 16-bit event ID.
  if (n > 65535) n = n & 0xffff;
  if (n > 0) out.push({ id: n, strength, via, ...(source ? { source } : {}) });
}

/** Numbers after a label, including short lists: "Event IDs 11202, 13003 and 1020". */
function numberList(s: string): string[] {
  return s.match(/\d{1,10}/g) ?? [];
}

const LABELLED: Array<[RegExp, string]> = [
  [/<eventid\b[^>]{0,200}>\s*(\d{1,10})\s*<\/eventid>/g, "<EventID>"],
  [/"(?:event_?id|eventcode|instanceid)"\s*:\s*"?(\d{1,10})/g, "JSON event id"],
  // Localized Event Viewer labels (accents already folded): de, fr, es, it, old and new Windows.
  [/\b(?:ereignis-?id|ereigniskennung|id de l'evenement|id\.? (?:del? )?evento|id\.? (?:del? )?suceso|id evento|id dell'evento)[ \t]{0,3}[:=]?[ \t]{0,3}(\d{1,10})\b/g, "localized Event ID"],
  // More Event Viewer display languages: nl, pt, pl, sv, tr, cs (folded), and ru, ja, zh, ko, whose letters \b does not see.
  [/(?:\b(?:gebeurtenis-?id|identificacao do evento|id do evento|identyfikator zdarzenia|handelse-?id|olay kimligi|id udalosti)|код события|イベント ?id|事件 ?id|이벤트 ?id)[ \t]{0,3}[:=]?[ \t]{0,3}(\d{1,10})\b/g, "localized Event ID"],
  // Gaps are bounded: unbounded \s* next to \s* backtracks cubically on a run of spaces.
  [/\b(?:events?|evnt|evt|ereignis(?:se)?|evenement|evento|suceso)[ \t]{0,3}(?:ids?|codes?|numbers?|no\.?|#)?[ \t]{0,3}(?:[:=#-]|is|was)?\s{0,30}(\d{1,10}(?:[ \t]{0,3}(?:,|\/|and|or|&)[ \t]{0,3}\d{1,10}){0,5})\b/g, "Event ID"],
  [/\beventcode\s*[:=]\s*(\d{1,10})/g, "EventCode"],
  // "keeps logging 11202", "the box threw 13003 again", "spamming 11202": what a log does with a number is an event.
  [/\b(?:log|logg(?:ing|ed)|logs|throw(?:ing|s)?|threw|fir(?:ing|es)|rais(?:ing|es)|spam(?:ming|s))[ \t]{1,3}(?:an?[ \t]|the[ \t])?[ \t]{0,3}(\d{3,5})\b/g, "logged"],
  [/^[ \t]*(?:id|eventid|instanceid|eventidentifier)\s*:\s*(\d{1,10})\s*$/gm, "PowerShell list"],
];

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

// A number right after one of these words names something other than an event: tickets, changes, merge
// requests, money, records, queues, postal codes.
const CHATTER_NUMBER = /(?:\b(?:pr|prs|pull request|merge request|mr|issue|ticket|jira|build|commit|line|room|order|invoice|page|version|v|port|ext|extension|case|bug|step|item|row|pid|uid|gid|user|no|number|flight|route|release|sprint|rfc|table|figure|chapter|chg|change|inc|incident|req|ritm|sr|cr|crq|wo|task|eur|usd|gbp|chf|record(?: ?number| ?id)?|recordnumber|eventrecordid|queue(?: length| size| depth)?|zip|postcode|postal code|plz|cp|cap|price|cost|total|count|size|length|error|err|error code|errorcode|winerror|status|code|http)\s*[#:=]?\s*|[€$£!#])$/;
// A number followed by one of these is a quantity, not an event; before an enhanced status code it is an
// SMTP reply code ("530 5.7.1").
const UNIT_AFTER = /^[ \t]?(?:[245]\.\d{1,3}\.\d{1,3}\b|ms|msec|s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?|days?|kb|mb|gb|tb|bytes?|%|eur|usd|gbp|chf|€|\$|items?|messages?|msgs?|mails?|e-?mails?|users?|mailboxes|rows?|records?|objects?|entries|files?|requests?|connections?|sessions?|logons?|logins?|attempts?|clients?|accounts?|hits|lines|calls|packets|errors|times|x|queued|in (?:the )?queue|km|miles?)(?![a-z0-9])/;

// Beside its source a number is a quantity only with a size, a duration, a rate or a counted thing after it
// ("11202 x 1020 in the last hour" is that event 1020 times).
const QUANTITY_AFTER = /^[ \t]?(?:ms|msec|s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?|kb|mb|gb|tb|bytes?|%|\/(?:s|sec|min|h|hr|hour)|messages?|msgs?|mails?|e-?mails?|users?|mailboxes|connections?|sessions?|logons?|requests?|items?)(?![a-z0-9])/;
const SECONDS_BEFORE = /\b(?:after|in|for|took|takes|timeout|timed out|every|within|wait(?:ed|ing)?|about|over|under)\s*$/;

/** Longest line read as one event line when it names an Exchange source. */
const SHORT_LINE = 160;

/**
 * The Exchange source named on the short line that opens with the number at `at`, if any. Only a number that
 * opens the line: later on a line a number next to a source is as often a value ("Queue Length: 1020",
 * "max connections set to 11202", "restart at 1020 UTC", "1020/min"); one beside its source is read elsewhere.
 */
function shortLineSource(lower: string, at: number): string | undefined {
  const start = lower.lastIndexOf("\n", at) + 1;
  if (!/^[\s"'`*_(>]*$/.test(lower.slice(start, at))) return undefined;
  const nl = lower.indexOf("\n", at);
  const end = nl < 0 ? lower.length : nl;
  if (end - start > SHORT_LINE) return undefined;
  return /\bm[s5]exchange ?[a-z][a-z0-9]{1,40}\b/.exec(lower.slice(start, end))?.[0].replace(/\s+/g, "");
}

/** RFC 3463 enhanced status codes ("5.7.1"), for String.match. */
export const ENHANCED_CODE = /\b[245]\.\d\.\d{1,3}\b/g;

/** SMTP reply codes in text, as "535 5.7.3": a three-digit code and the enhanced code after it. */
export function replyCodes(text: string): string[] {
  return [...text.matchAll(/\b([245]\d\d)[ -]+([245]\.\d{1,3}\.\d{1,3})\b/g)].slice(0, MAX_MENTIONS).map((m) => `${m[1]} ${m[2]}`);
}

export function extract(text: string, lower: string): Extracted {
  const events: EventMention[] = [];
  for (const [re, via] of LABELLED) {
    for (const m of lower.matchAll(re)) {
      const end = m.index + m[0].length;
      if (UNIT_AFTER.test(lower.slice(end, end + 16))) continue;
      for (const n of numberList(m[1] ?? "")) pushEvent(events, n, "labelled", via);
    }
  }
  tableEventIds(text, (raw, via, source) => pushEvent(events, raw, "labelled", via, source));
  const sourced = sourcedNumbers(lower);
  for (const [source, id, end] of sourced) {
    // "MSExchangeTransport 1020 bytes per message" is a size, not an event.
    if (!QUANTITY_AFTER.test(lower.slice(end, end + 16))) pushEvent(events, id, "line", "event line", source);
  }
  // "11202s" is several of that event, as people write it ("1020s again on the hub").
  for (const m of lower.matchAll(/(?<![\w.:/#$!€£-])(\d{3,5})s?(?![\w%]|[.:/,]\d)/g)) {
    if (events.length >= MAX_MENTIONS) break;
    const end = m.index + m[0].length;
    const before = lower.slice(Math.max(0, m.index - 24), m.index);
    if (CHATTER_NUMBER.test(before) || UNIT_AFTER.test(lower.slice(end, end + 16))) continue;
    // "after 1020s" is seconds, not several events.
    if (m[0].endsWith("s") && SECONDS_BEFORE.test(before)) continue;
    pushEvent(events, m[1] ?? "", "bare", "number");
    // "11202 again on exch01, MSExchangePOP3": a short line that opens with a number and names an Exchange
    // source reads as that source's event as surely as the number standing beside it does.
    const source = shortLineSource(lower, m.index);
    if (source) pushEvent(events, m[1] ?? "", "line", "same line as its source", source);
  }

  const kbs = findKbs(lower);
  const found = findSources(lower, sourced);

  // HRESULTs, and Win32 codes where a label says so ("WinError 1314", "System error 1326", "error code: 1326").
  const codeSpots: Array<{ code: string; at: number }> = [];
  for (const m of lower.matchAll(/\b0x[0-9a-f]{8}\b|\b(?:winerror|system ?error|systemfehler|error de sistema|erreur systeme|errore di sistema|error code|error|os error)[ \t]{0,2}[:=#]?[ \t]{0,2}(\d{3,5})\b/g)) {
    if (codeSpots.length < MAX_MENTIONS) codeSpots.push({ code: m[1] ?? m[0], at: m.index });
  }
  const hresults = [...new Set(codeSpots.map((c) => c.code))];
  const smtpCodes = [...new Set((lower.match(ENHANCED_CODE) ?? []).slice(0, MAX_MENTIONS))];
  const pop3Replies = (text.match(/^[ \t]*(?:[sS][:>][ \t]*)?[-+](?:ERR|OK)\b[^\n]{0,300}/gim) ?? [])
    .slice(0, MAX_MENTIONS)
    .map((l) => l.replace(/^[ \t]*(?:[sS][:>][ \t]*)?/, "").trim());

  // Server replies and SMTP status codes are mail-server material too.
  let hits = (pop3Replies.length > 0 ? 1 : 0) + (smtpCodes.length > 0 ? 1 : 0);
  for (const re of CONTEXT_PATTERNS) if (re.test(lower)) hits++;
  const context = Math.min(1, hits / 2);

  return {
    events,
    kbs,
    sources: found.sources,
    labelledSources: found.labelled,
    foreign: found.foreign,
    foreignAt: found.foreignAt,
    codeSpots,
    hresults,
    smtpCodes,
    smtpReplies: replyCodes(lower),
    pop3Replies,
    context,
  };
}
