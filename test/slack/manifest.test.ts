// manifest.yml is what an admin pastes into Slack; .env.example is what they copy. Both must match the code.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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
    // The probes speak POP3, SMTP and IMAP; a description naming only one sells the app short.
    for (const p of ["POP3", "SMTP", "IMAP"]) expect(m.display_information.description).toContain(p);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it("asks for the minimal bot scopes and subscribes to messages everywhere the bot is, and mentions", () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(["app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "mpim:history", "usergroups:read"]);
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(["app_mention", "message.channels", "message.groups", "message.im", "message.mpim"]);
  });
});

/**
 * The bot scopes each Web API method needs (Slack's method reference). A method the bot calls that is missing
 * here fails the test below: look its scope up and add both the row and, if new, the scope to manifest.yml.
 */
const SCOPES_OF: Record<string, readonly string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  // Threads in every kind of conversation the bot answers in.
  "conversations.replies": ["channels:history", "groups:history", "im:history", "mpim:history"],
  "usergroups.users.list": ["usergroups:read"],
  // Needs only the click's trigger_id.
  "views.open": [],
};

/** `client.chat.postMessage(` and the like in the bot's sources (src/local is the Slack stand-in, not the bot). */
function webApiCalls(): Map<string, string> {
  const calls = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== join(root, "src", "local")) walk(p);
      } else if (e.name.endsWith(".ts")) {
        for (const x of readFileSync(p, "utf8").matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)) calls.set(x[1]!, relative(root, p));
      }
    }
  };
  walk(join(root, "src"));
  return calls;
}

describe("manifest.yml scopes and the Web API methods the bot calls", () => {
  const m = parse(read("manifest.yml")) as Manifest;
  const calls = webApiCalls();

  it("finds the calls (the scan works)", () => {
    expect([...calls.keys()]).toEqual(expect.arrayContaining(["chat.postMessage", "usergroups.users.list", "views.open"]));
  });

  it("every method the bot calls has its scopes in the manifest (usergroups.users.list needs usergroups:read)", () => {
    for (const [method, file] of calls) {
      const needs = SCOPES_OF[method];
      expect(needs, `${method} (called in ${file}) has no row in SCOPES_OF`).toBeDefined();
      for (const scope of needs!) expect(m.oauth_config.scopes.bot, `${method} needs ${scope}`).toContain(scope);
    }
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
