// Pastes for the matching bench beyond the single Event Viewer record: a 4 KB multi-event SIEM paste
// (Splunk, NXLog, Get-WinEvent, other sources around ours) and a German paste (labels, message, POP3 reply).

const SPLUNK = (n: number, src: string, id: number, msg: string) =>
  `11/25/2026 09:${String(10 + n).padStart(2, "0")}:0${n % 10} AM\nLogName=Application\nSourceName=${src}\nEventCode=${id}\nEventType=2\nType=Error\nComputerName=SRV0${n}.contoso.local\nRecordNumber=${48000 + n * 17}\nMessage=${msg}\n`;

const NXLOG = (n: number, src: string, id: number, msg: string) =>
  JSON.stringify({ EventTime: `2026-11-25 09:2${n}:11`, Hostname: `SRV0${n}.contoso.local`, EventID: id, SourceName: src, Channel: "Application", RecordNumber: 51000 + n, Message: msg }) + "\n";

const WINEVENT = `PS C:\\> Get-WinEvent -LogName Application -MaxEvents 6 | ft TimeCreated,ProviderName,Id -auto

TimeCreated            ProviderName                          Id
-----------            ------------                          --
11/25/2026 9:31:02 AM  Microsoft-Windows-DHCP-Server       1020
11/25/2026 9:30:40 AM  Service Control Manager             7041
11/25/2026 9:30:11 AM  MSExchangePOP3                     11202
11/25/2026 9:29:58 AM  Microsoft-Windows-Security-Auditing 4625
`;

/** About 4 KB: several sources and formats, one of them our event. */
export function multiEventPaste(): string {
  let s = "index=wineventlog host=SRV* earliest=-1h\n";
  s += SPLUNK(1, "Microsoft-Windows-DHCP-Server", 1020, "Scope 10.20.0.0 is 95 percent full with only 12 IP addresses remaining.");
  s += SPLUNK(2, "Service Control Manager", 7041, "The MSSQLSERVER service was unable to log on as CONTOSO\\sql with the currently configured password.");
  s += SPLUNK(3, "MSExchangePOP3", 11202, "Logon attempt from 10.0.0.5 to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.");
  s += NXLOG(4, "MSExchangeFrontEndTransport", 1025, "SMTP rejected a (P1) mail from 'scanner@contoso.com' with 'Client Proxy EXCH01' connector.");
  s += NXLOG(5, "MSExchangeIS", 9646, "Mapi session exceeded the maximum of 32 objects of type 'session'.");
  s += NXLOG(6, "Microsoft-Windows-Security-Auditing", 4625, "An account failed to log on. Failure Reason: Unknown user name or bad password.");
  s += WINEVENT;
  while (s.length < 4096) s += SPLUNK(7, "Microsoft-Windows-GroupPolicy", 1502, "The Group Policy settings for the computer were processed successfully.");
  return s.slice(0, 4096);
}

/** About 2 KB of German: Event Viewer labels, the localized Windows message, a POP3 session answering in German. */
export function germanPaste(): string {
  const record = `Protokollname: Anwendung
Quelle:        MSExchangePOP3
Datum:         25.11.2026 09:14:02
Ereignis-ID:   11202
Aufgabenkategorie: Keine
Ebene:         Informationen
Schlüsselwörter: Überwachung gescheitert
Benutzer:      Nicht zutreffend
Computer:      EXCH01.contoso.local
Beschreibung:
Anmeldeversuch von 10.0.0.5 ist fehlgeschlagen: HrLookupCredentials() fehlgeschlagen: Dem Client fehlt ein erforderliches Recht.
`;
  const session = "telnet exch01 110\n+OK Microsoft Exchange POP3-Server Version 5.5.2653.23 bereit\nUSER max\n+OK\nPASS ********\n-ERR Dem Client fehlt ein erforderliches Recht.\n";
  let s = "Moin zusammen, seit dem Update können sich die POP3-Benutzer nicht mehr anmelden. Ereignisanzeige sagt:\n" + record + "\nUnd im Telnet-Test:\n" + session;
  const chatter = "Habt ihr eine Idee? Der Dienst läuft, die Kennwörter stimmen, Outlook Express meldet nur einen Fehler beim Abrufen.\n";
  while (s.length < 2048) s += chatter;
  return s.slice(0, 2048);
}
