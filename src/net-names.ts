// How hosts and user names are written, in one place for every edge: IPv6 literals in brackets (the probe's
// ports.ts takes them out again: bareHost), the loopback names, the control characters (CR, LF, ...)
// that must never reach a protocol command, and a mail address as the SMTP probe sends it.

/** The HOST values that mean "this computer only". */
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "::1", "localhost"];

/** Loopback by name or address, written as HOST takes it (::1, not [::1]). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host.toLowerCase());
}

/** An IPv6 literal in brackets, as host:port text and URLs write it; names and IPv4 addresses as they are. */
export function bracketHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** CR, LF and the other C0 controls and DEL: a user name or password holding one could smuggle a command. */
export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/** One mail address as MAIL FROM / RCPT TO take it: local@domain, no spaces, angle brackets or control characters. */
export const MAIL_ADDRESS = /^[^\s<>@\u0000-\u001f\u007f]+@[^\s<>@\u0000-\u001f\u007f]+$/;
