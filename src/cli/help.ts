// `exchange-bot help COMMAND` and `COMMAND --help`: usage, examples and exit codes, one page per command.

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  lookup: `Usage: exchange-bot lookup [--mode command|channel] [--json] [TEXT...]
       exchange-bot lookup --jsonl

Looks up an Exchange error by event ID, KB number or the error text (TEXT, or standard input when no
TEXT is given) and prints the article: title, identifiers, cause, numbered steps with their commands.

  --mode command   the rules for /exchange (default): answers from 50% confidence, a pick list when two
                   different faults fit, the closest suggestions when nothing does
  --mode channel   the stricter rules for a pasted message: answers only from 80%
  --json           one JSON object: {"decision", "matches": [{"id", "title", "score", "references",
                   "events", "cause", "steps": [{"text", "command"?, "path"?}]}], "didYouMean"?}
  --jsonl          one {"text": "...", "mode": "command"|"channel"} per input line, one result per line

Examples:
  exchange-bot lookup 11202
  exchange-bot lookup Q171435 --json
  exchange-bot lookup --mode channel < event-viewer-paste.txt
  printf '{"text":"11202"}\\n' | exchange-bot lookup --jsonl

Exit codes:
  0  an answer or a pick list          1  nothing matched (as grep does)
  2  bad usage (unknown option, empty or binary input)
  --jsonl: 0, or 1 when an input line was not a {"text","mode"} object
`,
  probe: `Usage: exchange-bot probe NAME [--json] [--timeout MS]
       exchange-bot probe HOST[:PORT] [--protocol pop3|smtp|imap] [--tls none|starttls|implicit]
                          [--user U] [--password-env VAR] [--mail-from ADDR] [--rcpt-to ADDR]
                          [--tls-insecure] [--ca FILE] [--timeout MS] [--json]
       exchange-bot probe NAME|HOST[:PORT] --format nagios [-w SECONDS] [-c SECONDS] [--cert-days WARN,CRIT]
       exchange-bot probe -H HOST [-p PORT] [-t SECONDS] [-v] ...      (the Monitoring Plugins' spelling)
       exchange-bot probe -V                                           the version

Runs the articles' telnet test against a mail server and diagnoses the replies: POP3 (greeting, USER,
PASS, ...), SMTP submission (EHLO, AUTH, MAIL FROM, RCPT TO, then RSET: it never sends mail) or IMAP
(CAPABILITY, LOGIN, STATUS INBOX). The password is never printed. NAME is a host from the probe hosts
file (PROBE_HOSTS_FILE, or ./probe-hosts.yml), or one of the lab hosts a local mode started in this
folder advertises; a short server name that is neither (EXCH01) is probed as a host if it resolves, and
the output says so. Default ports: pop3 110/995, smtp 587/465, imap 143/993 (plain or starttls / implicit).
Trust: the system CA store plus NODE_EXTRA_CA_CERTS, or only --ca FILE; --tls-insecure accepts a bad
certificate (still reported). -t SECONDS bounds the whole process, start-up included (past it: CRITICAL,
exit 2); --timeout MS bounds the probe's connection. Mistakes in the command (a missing --ca file, --json
with --format nagios, --cert-days on a plain-text probe) are bad usage, found before connecting (UNKNOWN).

Examples:
  exchange-bot probe exchange55-privilege
  exchange-bot probe mail.example.com:995 --tls implicit --user probe --password-env PROBE_PW
  exchange-bot probe hub02.example.com --protocol smtp --tls starttls --user probe@example.com --password-env PROBE_PW
  exchange-bot probe lab --json
  exchange-bot probe hub02 --format nagios -w 2 -c 10 --cert-days 30,7

Exit codes:
  0  nothing wrong found     1  a fault found (or the probe could not finish)
  2  bad usage (unknown option, no such named host, a broken hosts file)
  --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad usage included)
`,
  triage: `Usage: exchange-bot triage FILE... [--json] [--since ISO-DATE] [--top N]

Reads exported event logs whole and says which known faults they hold, how often, since when and on which
servers. The format is read from the content: event XML (Event Viewer "Save as XML", wevtutil qe /f:xml or
/f:RenderedXml), Get-WinEvent | Export-Csv, Event Viewer CSV or tab-separated text, Get-WinEvent |
ConvertTo-Json, wevtutil qe /f:text; a .gz of one, or a .zip of them (one level). A binary .evtx gets the
wevtutil command that converts it. Every event goes through the same matcher as a pasted event.

  --json             {"files": [{"name", "format", "events", "skipped"}], "events", "faults": [{"article",
                     "title", "events": [{"id", "source"}], "count", "first", "last", "computers"}],
                     "unknown": [{"source", "id", "count", "first", "last", "sample"}], "other"}
  --since ISO-DATE   count only events from this time on (2026-12-01 or 2026-12-01T08:00:00Z)
  --top N            only the N most frequent faults

Examples:
  exchange-bot triage Application.xml
  exchange-bot triage exch01.csv exch02.csv.gz --since 2026-12-01 --json

Exit codes:
  0  no known fault     1  at least one known fault
  2  bad usage, or a file that is no export it can read (one line naming the file)
`,
  eval: `Usage: exchange-bot eval FILE.jsonl

Scores a case file ({"mode", "expect": "TOKEN|TOKEN" or null, "text"} per line) and prints each miss.

Example:
  exchange-bot eval test/fixtures/eval-sample.jsonl

Exit codes:
  0  every case right     1  at least one miss     2  bad usage (no file, unreadable file)
`,
  kb: `Usage: exchange-bot kb list [DIR]
       exchange-bot kb lint [DIR]
       exchange-bot kb new ID [--from FILE|-] [--title TEXT]
       exchange-bot kb stats [--json]

list: one line per article (id, events, probe kind, title). lint: checks every article file and names
file, line, column, field and what is wrong. new: writes a template article that passes lint, filled in
from a pasted event (--from). stats: per article, answers, votes, reasons and probes from DATA_DIR
(from Redis when REDIS_URL is set; --json: one JSON array). DIR defaults to KNOWLEDGE_DIR, or the shipped knowledge/ folder.

Examples:
  exchange-bot kb list
  exchange-bot kb lint drafts/
  exchange-bot kb new Q123456 --from event.txt

Exit codes:
  0  no problems     1  a problem found     2  bad usage (no such folder)
`,
};

/** Per-command help, or undefined for a command without its own page (start prints its own). */
export function commandHelp(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(COMMAND_HELP, name) ? COMMAND_HELP[name] : undefined;
}
