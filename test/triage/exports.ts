// Generated exports of every format the triage reads, from one list of events, so each test knows the truth.

export interface GenEvent {
  provider: string;
  id: number;
  /** ISO UTC with milliseconds. */
  time: string;
  computer: string;
  level: string;
  message: string;
}

const Q = "Q171435";
/** The fixture knowledge's events, other Exchange events, other sources, non-ASCII computers and texts. */
export const EVENTS: GenEvent[] = [
  { provider: "MSExchangePOP3", id: 11202, time: "2026-12-01T08:00:00.125Z", computer: "EXCH01.contoso.com", level: "Error", message: "POP3 logon failure for user 'pat'." },
  { provider: "MSExchangePOP3", id: 11202, time: "2026-12-03T09:30:00.000Z", computer: "EXCH02.contoso.com", level: "Error", message: "POP3 logon failure for user 'Jürgen'." },
  { provider: "MSExchangePOP3", id: 11202, time: "2026-11-30T23:59:59.999Z", computer: "EXCH01.contoso.com", level: "Error", message: "POP3 logon failure." },
  { provider: "MSExchangeTransport", id: 1020, time: "2026-12-02T10:00:00.000Z", computer: "HUB-Ørsted", level: "Warning", message: "The account 'x' provided valid credentials, but is not authorized to use the server; failed to authenticate." },
  { provider: "MSExchangeIS", id: 9646, time: "2026-12-02T11:00:00.000Z", computer: "EXCH02.contoso.com", level: "Error", message: "Mapi session exceeded the maximum of 500 objects of type \"objtFolder\"." },
  { provider: "MSExchangeIS", id: 9646, time: "2026-12-04T11:00:00.000Z", computer: "EXCH01.contoso.com", level: "Error", message: "Mapi session exceeded the maximum of 500 objects of type \"objtMessage\"." },
  { provider: "MSExchange ADAccess", id: 2080, time: "2026-12-02T12:00:00.000Z", computer: "EXCH01.contoso.com", level: "Information", message: "Process MSEXCHANGEADTOPOLOGY: topology discovery, 東京 site." },
  { provider: "MsiInstaller", id: 1035, time: "2026-12-02T13:00:00.000Z", computer: "EXCH01.contoso.com", level: "Information", message: "Windows Installer reconfigured the product. Reconfiguration success or error status: 0." },
  { provider: "Service Control Manager", id: 7036, time: "2026-12-02T14:00:00.000Z", computer: "EXCH01.contoso.com", level: "Information", message: "The Print Spooler service entered the running state." },
];
export const TRUTH = {
  events: 9,
  faults: [{ article: Q, count: 3, first: "2026-11-30T23:59:59.999000Z", last: "2026-12-03T09:30:00.000000Z", computers: ["EXCH01.contoso.com", "EXCH02.contoso.com"] }],
};

const xmlEsc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const LEVEL_NO: Record<string, number> = { Critical: 1, Error: 2, Warning: 3, Information: 4 };

function xmlEvent(e: GenEvent, rendered: boolean): string {
  const ns = "http://schemas.microsoft.com/win/2004/08/events/event";
  const render = rendered ? `<RenderingInfo Culture='en-US'><Message>${xmlEsc(e.message)}</Message><Level>${e.level}</Level></RenderingInfo>` : "";
  return `<Event xmlns='${ns}'><System><Provider Name='${xmlEsc(e.provider)}'/><EventID Qualifiers='49152'>${e.id}</EventID><Level>${LEVEL_NO[e.level] ?? 4}</Level><TimeCreated SystemTime='${e.time.replace(/\.(\d{3})Z$/, ".$10000Z")}'/><Computer>${xmlEsc(e.computer)}</Computer></System><EventData><Data>${xmlEsc(e.message)}</Data></EventData>${render}</Event>`;
}

/** A record with no EventID: counted as skipped. */
const BROKEN_XML = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MSExchangePOP3'/><TimeCreated SystemTime='2026-12-01T00:00:00Z'/></System></Event>`;

/** Event Viewer "Save as XML": a root, a prolog, RenderingInfo, CRLF. */
export function saveAsXml(events = EVENTS): string {
  return `\uFEFF<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<Events>\r\n${events.map((e) => xmlEvent(e, true)).join("\r\n")}\r\n${BROKEN_XML}\r\n</Events>\r\n`;
}

/** wevtutil qe /f:xml without /e: one <Event> after another, no root, no prolog. */
export function wevtutilXml(events = EVENTS, rendered = false): string {
  return events.map((e) => xmlEvent(e, rendered)).join("") + BROKEN_XML;
}

const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
const usTime = (iso: string) => {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
};

/** Get-WinEvent | Export-Csv (Windows PowerShell 5.1: #TYPE line first), multi-line messages, CRLF. Times to the second. */
export function exportCsv(events = EVENTS): string {
  const head = ["Message", "Id", "ProviderName", "LogName", "MachineName", "TimeCreated", "LevelDisplayName"].map(csvCell).join(",");
  const rows = events.map((e) => [e.message + "\r\nDetails follow.", String(e.id), e.provider, "Application", e.computer, usTime(e.time), e.level].map(csvCell).join(","));
  rows.push([`broken`, "not-a-number", "MSExchangePOP3", "Application", "X", usTime(events[0]!.time), "Error"].map(csvCell).join(","));
  return `\uFEFF#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n${head}\r\n${rows.join("\r\n")}\r\n`;
}

/** Event Viewer "Save as" CSV or tab-separated text: no computer column, the description's column unnamed. */
export function eventViewerTable(events = EVENTS, sep: "," | "\t" = ","): string {
  const head = ["Level", "Date and Time", "Source", "Event ID", "Task Category"].join(sep);
  const rows = events.map((e) => [e.level, usTime(e.time), e.provider, String(e.id), "None", csvCell(e.message)].join(sep));
  return `${head}\r\n${rows.join("\r\n")}\r\n`;
}

/** Get-WinEvent | ConvertTo-Json (Windows PowerShell 5.1 writes TimeCreated as /Date(ms)/). */
export function convertToJson(events = EVENTS): string {
  const objs = events.map((e) => ({ Id: e.id, ProviderName: e.provider, MachineName: e.computer, LevelDisplayName: e.level, Message: e.message, TimeCreated: `/Date(${Date.parse(e.time)})/`, Properties: [{ Value: "{x}" }] }));
  objs.push({ Id: "x" as unknown as number, ProviderName: "MSExchangePOP3", MachineName: "", LevelDisplayName: "", Message: "", TimeCreated: "", Properties: [] });
  return "\uFEFF" + JSON.stringify(objs, null, 2).replace(/\n/g, "\r\n");
}

/** wevtutil qe Application /f:text. */
export function wevtutilText(events = EVENTS): string {
  return events
    .map((e, i) => [`Event[${i}]:`, `  Log Name: Application`, `  Source: ${e.provider}`, `  Date: ${e.time.replace(/\.(\d{3})Z$/, ".$10000Z")}`, `  Event ID: ${e.id}`, `  Task: N/A`, `  Level: ${e.level}`, `  Computer: ${e.computer}`, `  Description: `, e.message, ""].join("\r\n"))
    .join("\r\n");
}
