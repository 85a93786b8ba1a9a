// probeNamedHost: permission, then the limiter, then the engine, and one audit line per request whatever happened.
import { describe, expect, it } from "vitest";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import type { NamedHost, ProbeTarget } from "../../src/probe/types.js";
import type { AuditEntry } from "../../src/services/audit.js";
import { createKnowledge } from "../../src/services/knowledge.js";
import { createProbeService, type ProbeEngine } from "../../src/services/probe.js";
import { fakeResult } from "../helpers/probe-result.js";

const HOSTS: NamedHost[] = [{ name: "lab", host: "127.0.0.1", port: 110, tls: "none", user: "probe", passwordEnv: "LAB_PW", tlsInsecure: false }];
const knowledge = createKnowledge([]);

function setup(engine: ProbeEngine, limiter = new ProbeLimiter()) {
  const audits: AuditEntry[] = [];
  const targets: ProbeTarget[] = [];
  const svc = createProbeService({
    knowledge,
    hosts: HOSTS,
    env: { LAB_PW: "pw-123456" },
    limiter,
    audit: (a) => audits.push(a),
    engine: (t, o) => (targets.push(t), engine(t, o)),
  });
  return { svc, audits, targets };
}

describe("probe service", () => {
  it("probes a named host (any case) with the password read now, and audits who, which host, when and the outcome", async () => {
    const { svc, audits, targets } = setup(async () => fakeResult(false));
    const out = await svc.probeNamedHost("LAB", "U42");
    expect(out.status).toBe("done");
    expect(targets).toEqual([expect.objectContaining({ name: "lab", host: "127.0.0.1", password: "pw-123456" })]);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ audit: "probe", user: "U42", host: "lab", outcome: "fault", articles: ["Q171435"], ms: 5 });
    expect(Date.parse(audits[0]!.at)).toBeGreaterThan(Date.now() - 5_000);
  });

  it("refuses a name the hosts file does not have: nothing runs, nothing is audited", async () => {
    const { svc, audits, targets } = setup(async () => fakeResult(true));
    expect(await svc.probeNamedHost("127.0.0.1", "U1")).toEqual({ status: "unknown_host", name: "127.0.0.1" });
    expect(targets).toHaveLength(0);
    expect(audits).toHaveLength(0);
  });

  it("audits a rate-limited request and an engine that throws", async () => {
    const { svc, audits } = setup(async () => fakeResult(true), new ProbeLimiter({ perUser: 1 }));
    expect((await svc.probeNamedHost("lab", "U1")).status).toBe("done");
    expect(await svc.probeNamedHost("lab", "U1")).toMatchObject({ status: "rejected", reason: "rate-limited" });
    const failing = setup(async () => Promise.reject(new Error("boom")));
    await expect(failing.svc.probeNamedHost("lab", "U2")).rejects.toThrow("boom");
    expect([...audits, ...failing.audits].map((a) => `${a.user}:${a.outcome}`)).toEqual(["U1:ok", "U1:rate-limited", "U2:error"]);
  });

  it("a typed host goes through the same limit and audit, named HOST:PORT", async () => {
    const { svc, audits } = setup(async () => fakeResult(true));
    await svc.probeTarget({ host: "::1", port: 995, tls: "implicit", tlsInsecure: false }, "cli:alice");
    expect(audits).toEqual([expect.objectContaining({ user: "cli:alice", host: "[::1]:995", outcome: "ok" })]);
  });
});
