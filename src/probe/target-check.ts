// Checks a probe target before anything is resolved or sent: a bad host, port, user or address is refused
// with a sentence, and no control character (CR, LF, ...) ever reaches a protocol command.
import { hasControlChars } from "../net-names.js";
import { protocolLabel } from "./ports.js";
import type { ProbeTarget } from "./types.js";

/** Why the target cannot be probed, or undefined when it can. */
export function targetProblem(t: ProbeTarget): string | undefined {
  if (!t.host || /[\s/]/.test(t.host) || hasControlChars(t.host)) return "host must be a host name or an IP address";
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) return "port must be a whole number from 1 to 65535";
  if (t.user !== undefined && (t.user === "" || hasControlChars(t.user))) return "user must be non-empty and contain no control characters (CR, LF, ...)";
  if (t.password !== undefined && hasControlChars(t.password)) {
    return `the password contains control characters (CR, LF, ...) and cannot be sent as a ${protocolLabel(t.protocol ?? "pop3")} command`;
  }
  for (const [field, v] of [["mailFrom", t.mailFrom], ["rcptTo", t.rcptTo]] as const) {
    if (v !== undefined && (hasControlChars(v) || /[\s<>]/.test(v))) return `${field} must be one address without spaces, <, > or control characters`;
  }
  return undefined;
}
