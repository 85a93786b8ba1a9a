// Event sources: the ones a paste names, the ones it labels as an event's source, and the names of other
// products' sources that say an event number belongs to someone else (DHCP 1020, Security 4625).

/** One key per source however OCR or typing spelled it: MSExchangeP0P3, "MSExchange POP3", msexchangepop3. */
export function sourceKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/[1i]/g, "l")
    .replace(/0/g, "o")
    .replace(/5/g, "s");
}

/**
 * Words that name another product's event source or a tool that prints Windows messages itself. An event
 * number next to one of these is that source's event, and in a query they contradict an Exchange article.
 * Matched as whole words in folded lower-case text.
 */
export const FOREIGN_SOURCES: readonly string[] = [
  "dhcp", "dhcp-server", "dhcpserver", "microsoft-windows-dhcp-server", "security-auditing", "microsoft-windows-security-auditing",
  "security log", "security event", "security audit", "service control manager", "kerberos", "netlogon", "schannel", "lsasrv",
  "w3svc", "iis", "mssqlserver", "sqlserveragent", "sql server agent", "sql agent", "sql server", "ssrs", "reporting services",
  "task scheduler", "taskscheduler", "robocopy", "dcpromo", "winerror", "os error", "python", "traceback", "cargo", "rustc",
  "pywintypes", "pywin32", "win32security", "win32api", "sharepoint", "single sign-on service", "ssosrv",
  "npm", "node.js", "nodejs", "net use", "set-date", "windows explorer", "file explorer", "group policy", "grouppolicy",
  "wsus", "windowsupdateclient", "windows update", "hyper-v", "volsnap", "ntfs", "msiinstaller", "w32time", "time-service",
  "user32", "eventlog", "application error", "application hang", "wininit", "winlogon", "disk", "tcpip", "perflib",
];

/**
 * Other vendors' software that writes to the Windows event log under its own source name. Unlike the words
 * above, these are everyday words in an Exchange channel ("the Exchange VM on VMware", "after the Veeam
 * job"), so they say whose event a number is only when they stand beside it: "Event 11202 from VMware
 * Tools", "Veeam event 1020".
 */
export const VENDOR_SOURCES: readonly string[] = [
  "vmware", "vmware tools", "vmtools", "veeam", "backup exec", "backupexec", "netbackup", "commvault", "arcserve", "acronis",
  "symantec", "sophos", "mcafee", "trend micro", "kaspersky", "eset", "bitdefender", "crowdstrike", "carbon black", "cisco amp",
  "ciscoamp", "citrix",
  // Other mail servers and services: the same words (POP3, -ERR, SMTP) in their errors are not Exchange's.
  "hmailserver", "hmail", "mdaemon", "dovecot", "postfix", "sendmail", "exim", "zimbra", "kerio", "smartermail", "icewarp",
  "axigen", "gmail", "google workspace", "yahoo mail", "sendgrid", "mailgun", "amazon ses",
];

// A source label's value that names a log or a collector rather than an event source.
// A link ("source: https://...", Portuguese and Italian "fonte: https://...") is where a text came from.
const NOT_A_SOURCE = /^(?:wineventlog|xmlwineventlog|winlogbeat|nxlog|snare|wmi|eventlog:|application$|system$|https?$|ftp$|www\.)/;

/** Words as one regex alternation: regex characters escaped, a space standing for any run of white space. */
const altOf = (words: readonly string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&").replace(/ /g, "\\s+")).join("|");
const FOREIGN_ALT = altOf(FOREIGN_SOURCES);
// Host names carry the role with a number (dhcp01); Exchange's own sources never start with Microsoft-Windows-.
const FOREIGN_RE = new RegExp(`(?<![\\w-])(?:${FOREIGN_ALT}|microsoft-windows-[a-z0-9-]{2,60})(?![a-z_-])`, "g");

const ID_LABEL = "(?:event ?id|eventcode|event|id|ereignis-id|ereignis)";
// "from" in the languages whose labels are read: "1020 von/de/da/van/do MSExchangeTransport".
const SOURCE_LABEL = "(?:source|from|quelle|origen|origine|von|de|da|do|van)";

const VENDOR_ALT = altOf(VENDOR_SOURCES);
const VENDOR_KEYS = new Set(VENDOR_SOURCES.map((v) => v.replace(/\s+/g, "")));
const VENDOR_RE = new RegExp(`(?<![\\w-])(?:${VENDOR_ALT})(?![a-z_-])`, "g");
// A line that opens, after an optional time stamp, with a program's name and a colon is that program's own
// output: "hMailServer: ... -ERR ...", "Task Scheduler: Task ... failed to start ...".
const PROGRAM_PREFIX = new RegExp(`^[\\s\\d:.\\-/\\[\\]tz,+]*(?:${FOREIGN_ALT}|${VENDOR_ALT})[ \\t]*(?:\\[[^\\]\\n]{0,40}\\]|\\([^)\\n]{0,40}\\))?[ \\t]*:(?!\\/)`);

/** True when a line of the lower-case text opens with another program's name and a colon (a log prefix). */
export function opensWithProgram(line: string): boolean {
  return PROGRAM_PREFIX.test(line);
}
const NAME = `m[s5]exchange ?[a-z][a-z0-9]{0,40}|microsoft-windows-[a-z0-9-]{2,60}|${FOREIGN_ALT}|${VENDOR_ALT}`;
// Between them: spaces, one separator (, ; / | > - and an opening bracket) and at most a label ("source", "ID",
// "Ereignis-ID"; "from" in the labels' languages).
const AFTER = new RegExp(`(?<![\\w-])(${NAME})[ \\t]{0,40}(?:[:(/\\[<,;|>-][ \\t]{0,3})?(?:${ID_LABEL}[ \\t]{0,3}[:=#]?[ \\t]{0,3})?(\\d{3,5})(?![\\w%]|[.,:]\\d)`, "g");
const BEFORE = new RegExp(`(?<![\\w.:/#$!-])(\\d{3,5})s?[ \\t]{0,4}(?:[(,;/|>-][ \\t]{0,3})?(?:${SOURCE_LABEL}[ \\t]{0,3}[:=]?[ \\t]{0,3})?(?<![\\w-])(${NAME})(?![\\w-])`, "g");

export interface SourceFinds {
  /** Every source named, lower-case: MSExchange* anywhere, and every labelled source. Compare with sourceKey. */
  sources: string[];
  /** Sources given as an event's source (Source:, SourceName=, "provider_name":, <Provider Name=...>, Quelle:, ...). */
  labelled: string[];
  /** Other products' source words found anywhere (dhcp, robocopy, ...). */
  foreign: string[];
  /**
   * Where each other product's name was found (offsets in the lower-case text): the foreign words, and the
   * vendors and mail services too. For telling which is nearer an error, its context or another product.
   */
  foreignAt: number[];
}

const MAX = 200;

/** `sourced` is sourcedNumbers(lower): the caller reads the same event lines for their numbers. */
export function findSources(lower: string, sourced: ReadonlyArray<readonly [string, string, number]> = sourcedNumbers(lower)): SourceFinds {
  // "MSExchange POP3" is how some people type the source name; M5Exchange is how OCR reads it.
  const joined = lower.replace(/\bm[s5]exchange (?=[a-z0-9])/g, "msexchange").replace(/\bm5exchange/g, "msexchange");
  const labelled = new Set<string>();
  const label =
    /(?:\bsource(?:_?name)?|\bprovider(?:_?name)?|\bquelle|\bereignisquelle|\bsource de l'evenement|\borigen(?: del evento)?|\borigine(?: evento)?|\bbron|\bfonte|\borigem|\bzrod[lł]o|\bkalla|\bkaynak|\bzdroj|источник|ソース|来源|來源|원본)"?[ \t]{0,3}[:=][ \t]{0,40}"?([a-z][\w.-]{1,80})|\bfrom source[ \t]{1,3}([a-z][\w.-]{1,80})/g;
  for (const m of joined.matchAll(label)) {
    const v = m[1] ?? m[2] ?? "";
    if (!NOT_A_SOURCE.test(v) && labelled.size < MAX) labelled.add(v);
  }
  for (const m of lower.matchAll(/<provider\b[^>]{0,200}\bname\s*=\s*['"]([^'"]{1,100})['"]/g)) {
    if (labelled.size < MAX) labelled.add((m[1] ?? "").trim());
  }
  // A vendor beside an event number gives that number's source as surely as a label does.
  for (const [src] of sourced) if (VENDOR_KEYS.has(src) && labelled.size < MAX) labelled.add(src);
  const sources = new Set<string>(labelled);
  for (const m of joined.matchAll(/\bm[s5]exchange[a-z0-9]{1,40}\b/g)) if (sources.size < MAX) sources.add(m[0]);
  const foreign = new Set<string>();
  const foreignAt: number[] = [];
  for (const m of lower.matchAll(FOREIGN_RE)) {
    if (foreignAt.length >= MAX) break;
    foreign.add(m[0].replace(/\s+/g, " "));
    foreignAt.push(m.index);
  }
  for (const m of lower.matchAll(VENDOR_RE)) {
    if (foreignAt.length >= MAX) break;
    foreignAt.push(m.index);
  }
  return { sources: [...sources], labelled: [...labelled], foreign: [...foreign], foreignAt };
}

/**
 * Event lines that carry their source beside the number: "MSExchangePOP3 11202 Failure Audit",
 * "MSExchangePOP3 (11202)", Snare's "...\t11202\tMSExchangePOP3\t...", "DHCP 1020". Returns [source, id, where
 * the match ends].
 */
export function sourcedNumbers(lower: string): Array<[source: string, id: string, end: number]> {
  const out: Array<[string, string, number]> = [];
  for (const m of lower.matchAll(AFTER)) if (out.length < MAX) out.push([(m[1] ?? "").replace(/\s+/g, ""), m[2] ?? "", m.index + m[0].length]);
  for (const m of lower.matchAll(BEFORE)) if (out.length < MAX) out.push([(m[2] ?? "").replace(/\s+/g, ""), m[1] ?? "", m.index + m[0].length]);
  return out;
}
