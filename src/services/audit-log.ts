// The bot's own audit sink: one line per probe through the logger (component "probe"). Apart from audit.ts so
// that the terminal probe, which writes its records elsewhere (cli/probe-audit.ts), never loads the logger.
import { logger } from "../log.js";
import type { AuditSink } from "./audit.js";

export const stdoutAudit: AuditSink = (entry) => logger("probe").info(entry);
