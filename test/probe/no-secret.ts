// "The password appears in no output": every view of a probe result a person can see, searched for it.
import { expect } from "vitest";
import type { Article } from "../../src/knowledge/schema.js";
import { formatProbeText, probeJson } from "../../src/render/text.js";
import type { ProbeResult } from "../../src/probe/types.js";
import { renderProbeResult } from "../../src/render/probe.js";

/** --json, the terminal text and the Slack message hold neither the password nor its base64 forms (AUTH PLAIN, AUTH LOGIN). */
export function expectNoSecret(r: ProbeResult, user: string, password: string, articles: readonly Article[] = []): void {
  const outputs = [JSON.stringify(r), JSON.stringify(probeJson(r)), formatProbeText(r, articles), JSON.stringify(renderProbeResult(r, () => undefined, "U1"))];
  const forms = [password, Buffer.from(password).toString("base64"), Buffer.from(`\0${user}\0${password}`).toString("base64")];
  for (const out of outputs) for (const f of forms) expect(out).not.toContain(f);
}
