// Clear-text credentials in a pasted message: a telnet PASS line, an IMAP LOGIN, SMTP AUTH data, a
// password= setting, a PowerShell plain-text password. Only the kind of find is returned, never the secret,
// so nothing downstream can quote it back.

export type CredentialKind = "pass-line" | "imap-login" | "auth-data" | "setting" | "powershell";

export const KIND_WORDS: Record<CredentialKind, string> = {
  "pass-line": "a telnet `PASS` line with a password",
  "imap-login": "an IMAP `LOGIN` line with a password",
  "auth-data": "SMTP/IMAP `AUTH` data (base64 is not encryption)",
  setting: "a `password=` setting",
  powershell: "a plain-text password in PowerShell",
};

/** Stand-ins people write instead of a real password: these are not secrets. */
const PLACEHOLDER =
  /^(\*+|x{3,}|\.{3}|…|<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\(?hidden\)?|\(?redacted\)?|your[-_ ]?password|yourpass|password|passwd|pass|pwd|secret|mypassword|changeme|\$[\w:{}.]+|%\w+%|null|none|empty|""|'')$/i;

function real(secret: string | undefined): boolean {
  const s = (secret ?? "").trim().replace(/[.,;]+$/, "");
  return s.length >= 3 && !PLACEHOLDER.test(s);
}

/** Slack sends &, < and > escaped; the patterns read the text as typed. */
function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function base64Credentials(data: string): boolean {
  if (!/^[A-Za-z0-9+/]{8,}={0,2}$/.test(data)) return false;
  const decoded = Buffer.from(data, "base64").toString("latin1");
  // AUTH PLAIN carries "authzid\0user\0password".
  const parts = decoded.split("\0");
  return parts.length === 3 && real(parts[2]);
}

/** The kinds of clear-text credential in the text, in the order found; empty when there is none. */
export function findCredentials(raw: string): CredentialKind[] {
  const text = unescape(raw.length > 200_000 ? raw.slice(0, 200_000) : raw);
  const found = new Set<CredentialKind>();
  const lines = text.split(/\r?\n/);
  let authLoginAsksPassword = false;
  for (const line of lines) {
    // Transcript prefixes: "C: ", "C> ", "> ", "<<< ", timestamps are not stripped (a PASS line must lead).
    const l = line.replace(/^\s*(?:[CS]\s*[:>]\s*|>+\s*|<<<\s*|>>>\s*)?/, "");
    const pass = /^PASS\s+(.+)$/i.exec(l);
    if (pass && real(pass[1])) found.add("pass-line");
    const login = /^[A-Za-z0-9.]+\s+LOGIN\s+("[^"]*"|\S+)\s+("[^"]*"|\S+)\s*$/i.exec(l);
    if (login && real(login[2]?.replace(/^"|"$/g, ""))) found.add("imap-login");
    const plain = /^(?:[A-Za-z0-9.]+\s+)?(?:AUTH|AUTHENTICATE)\s+PLAIN\s+(\S+)\s*$/i.exec(l);
    if (plain && base64Credentials(plain[1] ?? "")) found.add("auth-data");
    if (/^334\s+UGFzc3dvcmQ6\s*$/i.test(l)) authLoginAsksPassword = true;
    else if (authLoginAsksPassword) {
      if (/^[A-Za-z0-9+/]{4,}={0,2}$/.test(l.trim()) && real(Buffer.from(l.trim(), "base64").toString("latin1"))) found.add("auth-data");
      authLoginAsksPassword = false;
    }
  }
  for (const m of text.matchAll(/\b(?:password|passwd|pwd)\s*[=:]\s*("[^"\n]*"|'[^'\n]*'|[^\s;,&"']+)/gi)) {
    if (real(m[1]?.replace(/^["']|["']$/g, ""))) found.add("setting");
  }
  for (const m of text.matchAll(/ConvertTo-SecureString\s+(?:-String\s+)?("[^"\n]*"|'[^'\n]*')\s+-AsPlainText/gi)) {
    if (real(m[1]?.slice(1, -1))) found.add("powershell");
  }
  for (const m of text.matchAll(/-(?:Password|Pwd)\s+("[^"\n]*"|'[^'\n]*')/gi)) {
    if (real(m[1]?.slice(1, -1))) found.add("powershell");
  }
  return [...found];
}
