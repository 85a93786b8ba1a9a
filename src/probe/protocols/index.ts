// The protocol table: one script per protocol, run by the same engine.
import type { ProtocolScript } from "../script.js";
import type { Protocol } from "../types.js";
import { imap } from "./imap.js";
import { pop3 } from "./pop3.js";
import { smtp } from "./smtp.js";

const SCRIPTS: Readonly<Record<Protocol, ProtocolScript>> = { pop3, smtp, imap };

export function scriptFor(protocol: Protocol): ProtocolScript {
  return SCRIPTS[protocol];
}
