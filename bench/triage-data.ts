// The bench's exports: N events as event XML (Event Viewer "Save as XML", about 1 KB an event) and as
// Get-WinEvent | Export-Csv, written in pieces so making a 100 MB file holds none of it.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

const KINDS = [
  { provider: "MSExchangePOP3", id: 11202, level: 2, name: "Error", text: (i: number) => `POP3 logon failure for user 'user${i % 977}'. The account lacks the right to act as part of the operating system.` },
  { provider: "MSExchangeTransport", id: 1020, level: 3, name: "Warning", text: (i: number) => `The account 'CONTOSO\\svc${i % 311}' provided valid credentials, but is not authorized to use the server; failed to authenticate.` },
  { provider: "MSExchangeIS", id: 9646, level: 2, name: "Error", text: (i: number) => `Mapi session "/o=Contoso/ou=First/cn=Recipients/cn=u${i % 1013}" exceeded the maximum of 500 objects of type "objtFolder".` },
  { provider: "Service Control Manager", id: 7036, level: 4, name: "Information", text: (i: number) => `The Windows Update service entered the ${i % 2 ? "running" : "stopped"} state.` },
  { provider: "MsiInstaller", id: 1035, level: 4, name: "Information", text: (i: number) => `Windows Installer reconfigured the product. Product Name: Agent ${i % 53}. Reconfiguration success or error status: 0.` },
];
const FILL = " Additional context for the administrator follows so that each record is the size of a real one.".repeat(6);

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const iso = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 7_000).toISOString().replace("Z", "0000Z");

function xmlEvent(i: number): string {
  const k = KINDS[i % KINDS.length]!;
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="${k.provider}"/><EventID Qualifiers="49152">${k.id}</EventID><Version>0</Version><Level>${k.level}</Level><Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime="${iso(i)}"/><EventRecordID>${i + 1}</EventRecordID><Channel>Application</Channel><Computer>EXCH0${i % 4}.contoso.com</Computer><Security/></System><EventData><Data>${esc(k.text(i))}</Data></EventData><RenderingInfo Culture="en-US"><Message>${esc(k.text(i) + FILL)}</Message><Level>${k.name}</Level></RenderingInfo></Event>\r\n`;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
function csvRow(i: number): string {
  const k = KINDS[i % KINDS.length]!;
  return [k.text(i) + FILL, String(k.id), k.provider, "Application", `EXCH0${i % 4}.contoso.com`, iso(i), k.name].map(q).join(",") + "\r\n";
}

async function write(path: string, head: string, row: (i: number) => string, n: number, tail: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(head);
  for (let i = 0; i < n; i++) if (!out.write(row(i))) await once(out, "drain");
  out.end(tail);
  await once(out, "finish");
}

export const writeXml = (path: string, n: number) => write(path, '<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n', xmlEvent, n, "</Events>\r\n");
export const writeCsv = (path: string, n: number) =>
  write(path, '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"Message","Id","ProviderName","LogName","MachineName","TimeCreated","LevelDisplayName"\r\n', csvRow, n, "");
/** Events a bench file holds per kind: 2 in 5 are known faults. */
export const KNOWN_SHARE = 2 / KINDS.length;
