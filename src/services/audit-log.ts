// The bot's own audit sink: one line per probe through the logger (component "probe"). Apart from audit.ts so
// that the terminal probe, which writes its records elsewhere (cli/probe-audit.ts), never loads the logger.
import { recordLogger } from "../log.js";
import type { AuditSink } from "./audit.js";

// Always written, whatever LOG_LEVEL: see recordLogger.
export const stdoutAudit: AuditSink = (entry) => recordLogger("probe").info(entry);
