// The logger every line goes through (src/log.ts): pino, levels from LOG_LEVEL, the redaction list, a child per
// component, and the records' own fields kept as tools read them.
import { afterEach, describe, expect, it, vi } from "vitest";
import { configureLogging, logger, redactText } from "../src/log.js";
import { stdoutAudit } from "../src/services/audit-log.js";
import { stdoutLog } from "../src/slack/services.js";

function capture(): { lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    raw.push(String(chunk));
    return true;
  });
  return { lines: () => raw.join("").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

afterEach(async () => {
  vi.restoreAllMocks();
  await configureLogging({ level: "info" });
});

describe("the logger", () => {
  it("keeps every record's event name and fields, adding the level and the component", async () => {
    await configureLogging({ level: "info" });
    const out = capture();
    stdoutLog({ event: "feedback", helpful: true, article: "Q171435", user: "U1", channel: "C1" });
    stdoutAudit({ audit: "probe", at: "2026-12-07T00:00:00.000Z", user: "U1", host: "lab", outcome: "ok" });
    stdoutLog({ event: "error", where: "probe", error: "boom" });
    const [fb, audit, err] = out.lines();
    expect(fb).toMatchObject({ event: "feedback", helpful: true, article: "Q171435", user: "U1", channel: "C1", level: "info", component: "agent", at: expect.any(String) });
    expect(audit).toMatchObject({ audit: "probe", host: "lab", outcome: "ok", component: "probe" });
    expect(err).toMatchObject({ event: "error", level: "error" });
  });

  it("writes only what LOG_LEVEL lets through", async () => {
    await configureLogging({ level: "warn" });
    const out = capture();
    logger("receiver").info({ event: "http_refused" });
    logger("receiver").warn({ event: "socket_refused" });
    expect(out.lines().map((l) => l.event)).toEqual(["socket_refused"]);
  });

  it("writes the probe audit trail whatever LOG_LEVEL says", async () => {
    await configureLogging({ level: "error" });
    const out = capture();
    logger("probe").info({ event: "quiet" });
    stdoutAudit({ audit: "probe", at: "2026-12-07T00:00:00.000Z", user: "U1", host: "lab", outcome: "fault" });
    expect(out.lines()).toEqual([expect.objectContaining({ audit: "probe", host: "lab", outcome: "fault", level: "info", component: "probe" })]);
  });

  it("never writes a token, the signing secret, a password or an Authorization header", async () => {
    await configureLogging({ level: "info" });
    const out = capture();
    logger("state").info({ event: "x", token: "xoxb-1-secret", signingSecret: "s3cret", password: "pw-123", headers: { authorization: "Bearer abc" } });
    const text = JSON.stringify(out.lines());
    for (const s of ["xoxb-1-secret", "s3cret", "pw-123", "Bearer abc"]) expect(text).not.toContain(s);
    expect(redactText("auth failed for xapp-1-A0-xyz")).toBe("auth failed for xox*-REDACTED");
  });
});
