// The one thing to do next after a failed probe: the matched article's first step, or what the failure
// itself points to. A POP3 "bad password" reply is first a question about the probe account's own password.
import type { Article } from "../knowledge/schema.js";
import { stepsOf } from "../knowledge/steps.js";
import type { ProbeResult } from "../probe/types.js";

const BAD_PASSWORD = /bad password|unknown user name|invalid (user ?name or )?password|\[AUTH\]|authentication failed|logon failure/i;

/** Plain text (the caller escapes it); undefined when nothing failed. */
export function nextStep(r: ProbeResult, known: readonly Article[]): string | undefined {
  if (r.ok) return undefined;
  const failed = r.steps.find((s) => !s.ok);
  const article = known[0];
  const fromArticle = article ? `${stepsOf(article)[0]?.text ?? "follow its resolution"} (${article.id}, step 1)` : undefined;
  const logon = failed && /^(PASS|AUTH|LOGIN|AUTHENTICATE)/i.test(failed.name);
  if (logon && BAD_PASSWORD.test(failed.detail ?? "")) {
    return `first make sure the probe account's own password is right (the variable its hosts-file entry names in passwordEnv): a wrong probe password gives this same reply. If it is right: ${fromArticle ?? "check the account on the server."}`;
  }
  if (fromArticle) return fromArticle;
  const text = `${r.diagnosis.summary} ${failed?.detail ?? ""}`;
  if (/refused/i.test(text)) return `check that the ${r.protocol.toUpperCase()} service runs on ${r.host} and listens on port ${r.port}, then probe again.`;
  if (/timed? ?out|deadline|no answer|silent/i.test(text)) return `check what stands between the bot and ${r.host}:${r.port} (firewall, load balancer) and whether the server is overloaded.`;
  if (/certificate|TLS|SSL/i.test(text)) return "check the server's certificate (name, chain, expiry) or the host's tls setting in the probe hosts file.";
  if (/ENOTFOUND|not found|resolve|DNS/i.test(text)) return "check the host name in the probe hosts file, and DNS from where the bot runs.";
  return "read the server's last reply in the transcript above.";
}
