// What Slack would turn into a ping or a link in a posted message, found by walking the message the way Slack
// reads it: the top-level text and mrkdwn/plain_text objects as markup, rich_text elements by their type.
import type { RecordedMessage } from "../../src/local/webapi.js";

export interface Hazard {
  ts: string;
  where: string;
  what: string;
}

// Markup that pings or links: <!channel>, <!here>, <!subteam^…>, <@U…>, <#C…>, <http…|…>, <mailto:…>.
const ANGLE = /<(?:!|@|#|https?:|mailto:|tel:|ftp:)[^>]*>?/gi;
// Bare forms Slack (or link_names) picks up: a URL with its scheme intact, and broadcast words.
const BARE_URL = /\b(?:https?|ftp):\/\/[^\s<>`]+/gi;
const BROADCAST = /(?:^|[^\w\u200b])@(?:channel|here|everyone)\b/gi;
const RICH_PING_TYPES = new Set(["user", "usergroup", "channel", "broadcast"]);

/**
 * Every ping or link in the messages that is not one of `allowed`: user ids the bot may mention (the person
 * who clicked, taken from the verified payload) and link targets it may post (none from user text).
 */
export function hazards(messages: RecordedMessage[], allowed: { users?: string[]; linkHosts?: string[] } = {}): Hazard[] {
  const users = new Set(allowed.users ?? []);
  const hosts = allowed.linkHosts ?? [];
  const okLink = (url: string): boolean => hosts.some((h) => url.toLowerCase().includes(`://${h.toLowerCase()}`));
  const out: Hazard[] = [];
  const scan = (ts: string, where: string, s: string): void => {
    for (const m of s.matchAll(ANGLE)) {
      const inner = m[0];
      const user = /^<@([UW][A-Z0-9]+)>$/.exec(inner)?.[1];
      if (user && users.has(user)) continue;
      if (/^<(https?|mailto|tel|ftp):/i.test(inner) && okLink(inner.slice(1))) continue;
      out.push({ ts, where, what: inner });
    }
    for (const m of s.replace(ANGLE, " ").matchAll(BARE_URL)) if (!okLink(m[0])) out.push({ ts, where, what: m[0] });
    for (const m of s.matchAll(BROADCAST)) out.push({ ts, where, what: m[0].trim() });
  };
  const walk = (ts: string, where: string, node: unknown): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(ts, `${where}[${i}]`, n));
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === "string" && RICH_PING_TYPES.has(o.type) && (o.type !== "user" || !users.has(String(o.user_id)))) out.push({ ts, where, what: `rich_text ${o.type} ${JSON.stringify(o)}` });
    if (o.type === "link" && typeof o.url === "string" && !okLink(o.url)) out.push({ ts, where, what: `rich_text link ${o.url}` });
    if (typeof o.url === "string" && o.type === "button" && !okLink(o.url)) out.push({ ts, where, what: `button url ${o.url}` });
    for (const [k, v] of Object.entries(o)) {
      if (k === "text" && typeof v === "string") scan(ts, `${where}.text`, v);
      else walk(ts, `${where}.${k}`, v);
    }
  };
  for (const m of messages) {
    scan(m.ts, "text", m.text);
    walk(m.ts, "blocks", m.blocks);
  }
  return out;
}
