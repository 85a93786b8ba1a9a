// The TLS report (issue 23 point 4) as one short line for the terminal and Slack: versions, chain, names, days left.
import { expiryText } from "../probe/tls-info.js";
import { TLS_VERSIONS } from "../probe/tls-versions.js";
import type { TlsInfo } from "../probe/types.js";

/** Names shown on the line; --json has them all. */
const SHOWN_NAMES = 4;

/** "accepts TLSv1.2, TLSv1.3; refuses TLSv1, TLSv1.1; chain complete; names a, b (HOST matches); 19 day(s) left". */
export function tlsReportLine(info: TlsInfo, host: string): string | undefined {
  const parts: string[] = [];
  const v = info.versions;
  if (v) {
    const pick = (want: boolean | "untested") => TLS_VERSIONS.filter((x) => v[x] === want);
    const said = [["accepts", pick(true)], ["refuses", pick(false)], ["untested", pick("untested")]] as const;
    for (const [word, list] of said) if (list.length) parts.push(`${word} ${list.join(", ")}`);
  }
  if (info.chainComplete !== undefined) parts.push(info.chainComplete ? "chain complete" : "chain incomplete (no trusted root reached)");
  if (info.names) {
    const more = info.names.length > SHOWN_NAMES ? ` +${info.names.length - SHOWN_NAMES} more` : "";
    const shown = info.names.length ? `names ${info.names.slice(0, SHOWN_NAMES).join(", ")}${more}` : "names nothing";
    parts.push(`${shown} (${host} ${info.nameMatches ? "matches" : "does not match"})`);
  }
  if (info.daysLeft !== undefined) parts.push(info.daysLeft < 0 ? expiryText(info.daysLeft) : `${info.daysLeft} day(s) left`);
  return parts.length ? parts.join("; ") : undefined;
}
