// manifest.yml is what an admin pastes into Slack; .env.example is what they copy. Both must match the code.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (f: string): string => readFileSync(`${root}/${f}`, "utf8");

interface Manifest {
  display_information: { name: string; description: string };
  features: { bot_user: { display_name: string }; slash_commands: { command: string; description: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe("manifest.yml", () => {
  const m = parse(read("manifest.yml")) as Manifest;

  it("declares the bot user, /exchange with description and usage hint, interactivity and Socket Mode", () => {
    expect(m.features.bot_user.display_name).toBe("exchange-bot");
    expect(m.features.slash_commands).toEqual([expect.objectContaining({ command: "/exchange", description: expect.stringMatching(/Exchange/), usage_hint: expect.stringContaining("11202") })]);
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it("asks for the minimal bot scopes and subscribes to messages everywhere the bot is, and mentions", () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(["app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "mpim:history"]);
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(["app_mention", "message.channels", "message.groups", "message.im", "message.mpim"]);
  });
});

describe(".env.example", () => {
  it("documents every variable the configuration reads", () => {
    const sources = read("src/config.ts") + read("src/paths.ts");
    const names = new Set([...sources.matchAll(/(?:get|envSetting)\(env, "([A-Z_]+)"\)/g)].map((x) => x[1]!));
    expect(names.size).toBeGreaterThanOrEqual(9);
    const example = read(".env.example");
    for (const n of names) expect(example, n).toMatch(new RegExp(`^#? ?${n}=`, "m"));
  });
});
