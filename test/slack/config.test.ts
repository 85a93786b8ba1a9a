// Configuration: the mode follows from which Slack variables are set; anything half-set is one clear message.
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/config.js";

const BOT = "xoxb-1111-2222-abcdef";
const APP = "xapp-1-A111-222-abcdef";
const SECRET = "0123456789abcdef0123456789abcdef";

function problems(env: Record<string, string>): string {
  try {
    readConfig(env, "/tmp");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfig", () => {
  it("local mode accepts only a loopback HOST, with one message naming HOST; the Slack modes take any", () => {
    for (const host of ["127.0.0.1", "::1", "localhost", "LOCALHOST"]) expect(readConfig({ HOST: host }, "/tmp"), host).toMatchObject({ mode: "local", host });
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.org", "127.0.0.2"]) {
      const msg = problems({ HOST: host });
      expect(msg).toMatch(/^configuration problem: HOST is ".+", but local mode \(no Slack tokens set\) listens on this computer only: unset HOST or set it to 127\.0\.0\.1, ::1, localhost\./);
      expect(msg).toContain(host);
    }
    expect(problems({ HOST: "0.0.0.0", PORT: "x" })).toMatch(/^configuration problems:\n {2}- PORT.*\n {2}- HOST is "0\.0\.0\.0"/);
    expect(readConfig({ HOST: "0.0.0.0", SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, "/tmp")).toMatchObject({ mode: "http", host: "0.0.0.0" });
    expect(readConfig({ HOST: "0.0.0.0", SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, "/tmp")).toMatchObject({ mode: "socket", host: "0.0.0.0" });
  });

  it("picks the mode from the variables that are set", () => {
    expect(readConfig({}, "/tmp")).toMatchObject({ mode: "local", port: 3000, host: "127.0.0.1" });
    expect(readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, "/tmp")).toMatchObject({ mode: "http", botToken: BOT, signingSecret: SECRET, host: "0.0.0.0" });
    expect(readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, "/tmp")).toMatchObject({ mode: "socket", appToken: APP });
  });

  it("reads PORT, SLACK_API_URL (with a trailing slash added), PROBE_HOSTS_FILE relative to the working folder", () => {
    const c = readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: "4100", SLACK_API_URL: "http://127.0.0.1:4000/api", PROBE_HOSTS_FILE: "conf/hosts.yml" }, "/srv/bot");
    expect(c).toMatchObject({ port: 4100, slackApiUrl: "http://127.0.0.1:4000/api/", probeHostsFile: "/srv/bot/conf/hosts.yml", probeHostsFileSet: true });
    expect(readConfig({}, "/srv/bot")).toMatchObject({ probeHostsFile: "/srv/bot/probe-hosts.yml", probeHostsFileSet: false });
  });

  it("names what is missing when the configuration is half set", () => {
    expect(problems({ SLACK_BOT_TOKEN: BOT })).toMatch(/SLACK_SIGNING_SECRET is missing/);
    expect(problems({ SLACK_SIGNING_SECRET: SECRET })).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(problems({ SLACK_APP_TOKEN: APP })).toMatch(/SLACK_APP_TOKEN is set \(Socket Mode\) but SLACK_BOT_TOKEN is missing/);
  });

  it("lists every problem in one message and never echoes a secret", () => {
    const msg = problems({ SLACK_BOT_TOKEN: "xoxp-user-token-secret", SLACK_SIGNING_SECRET: "not a secret!", PORT: "eighty", SLACK_API_URL: "ftp://x", LOG_LEVEL: "loud" });
    expect(msg).toMatch(/^configuration problems:/);
    for (const name of ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT", "SLACK_API_URL", "LOG_LEVEL"]) expect(msg).toContain(name);
    expect(msg).not.toContain("xoxp-user-token-secret");
    expect(msg).not.toContain("not a secret!");
    expect(msg).toContain(".env.example");
  });

  it("treats empty and blank variables as unset", () => {
    expect(readConfig({ SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "  " }, "/tmp").mode).toBe("local");
  });
});
