// The protocol table: one script per protocol, run by the same engine.
import type { ProtocolScript } from "../engine.js";
import type { Protocol } from "../types.js";
import { pop3 } from "./pop3.js";

const SCRIPTS: Readonly<Partial<Record<Protocol, ProtocolScript>>> = { pop3 };

export function scriptFor(protocol: Protocol): ProtocolScript {
  const s = SCRIPTS[protocol];
  if (!s) throw new Error(`no ${protocol} script yet`);
  return s;
}
