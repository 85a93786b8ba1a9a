// Local mode's Exchange Online persona: a tenant with SMTP AUTH disabled answers every AUTH with the literal
// 535 5.7.139 text of the December 2026 wave; the real probe engine runs against it on loopback.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLabPeers, type LabPeers } from "../../src/local/lab-peers.js";
import { targetFromNamedHost, findHost } from "../../src/probe/hosts.js";
import { probeOutcome } from "../../src/probe/run.js";

const env: NodeJS.ProcessEnv = { PROBE_LAB_PASSWORD: "lab-secret-Tq8vW3" };
let lab: LabPeers;
beforeAll(async () => {
  lab = await startLabPeers(env);
});
afterAll(() => lab?.stop());

it("exo-smtp-disabled: an Exchange Online banner, AUTH LOGIN refused with 535 5.7.139 SmtpClientAuthentication, password masked", async () => {
  const host = findHost(lab.hosts, "exo-smtp-disabled");
  expect(host?.protocol).toBe("smtp");
  const out = await probeOutcome(targetFromNamedHost(host!, env));
  expect(out.ok).toBe(false);
  const text = out.lines.map((l) => l.text).join("\n");
  expect(text).toMatch(/^S: 220 \S+\.outlook\.office365\.com Microsoft ESMTP MAIL Service ready at /m);
  expect(text).toContain("S: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.");
  expect(out.failure).toMatch(/5\.7\.139/);
  expect(JSON.stringify(out)).not.toContain(env.PROBE_LAB_PASSWORD);
  expect(JSON.stringify(out)).not.toContain(Buffer.from(env.PROBE_LAB_PASSWORD!).toString("base64"));
});
