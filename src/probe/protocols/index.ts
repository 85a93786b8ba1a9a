// The protocol table: one script per protocol, run by the same engine. Each is loaded when first needed, so a
// POP3 check (a monitoring system runs thousands a minute) never reads the SMTP and IMAP scripts.
import type { ProtocolScript } from "../script.js";
import type { Protocol } from "../types.js";

const SCRIPTS: Readonly<Record<Protocol, () => Promise<ProtocolScript>>> = {
  pop3: async () => (await import("./pop3.js")).pop3,
  smtp: async () => (await import("./smtp.js")).smtp,
  imap: async () => (await import("./imap.js")).imap,
};

export function loadScript(protocol: Protocol): Promise<ProtocolScript> {
  return SCRIPTS[protocol]();
}
