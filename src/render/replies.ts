// The short replies: usage, pick list, no match, thanks for feedback.
import type { Article } from "../knowledge/schema.js";
import type { Suggestion } from "../match/suggest.js";
import type { Match } from "../match/types.js";
import type { Family } from "../knowledge/browse.js";
import { familyIndex } from "./browse.js";
import type { NamedHost } from "../probe/types.js";
import { ACTION, BLOCK, actionId } from "./actions.js";
import { context, section, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn, quoteUserText, userMention } from "./escape.js";
import { identifiers } from "./answer.js";
import { encodeShareValue, type ShareValue } from "./private.js";

/** Candidates shown in a pick list: enough to choose from, short enough to read. */
export const PICK_MAX = 5;

export function renderHelp(opts: { command?: string; articles: number; hosts: readonly NamedHost[]; families?: readonly Family[] }): SlackMessage {
  const cmd = opts.command ?? "/exchange";
  const hostLine = opts.hosts.length
    ? `Probe hosts: ${opts.hosts.map((h) => `*${escapeMrkdwn(h.name)}* (${(h.protocol ?? "pop3").toUpperCase()})`).join(", ")}.`
    : "No probe hosts are configured (PROBE_HOSTS_FILE).";
  return {
    text: `How to use ${cmd}`,
    blocks: [
      section(
        [
          `*${cmd}* looks up Microsoft Exchange errors in a knowledge base of ${opts.articles} articles.`,
          `• \`${cmd} 11202\`: an event ID`,
          `• \`${cmd} Q171435\`: a KB number`,
          `• \`${cmd} A required privilege is not held by the client\`: the error text itself`,
          `• \`${cmd} 535 5.7.139\`: a server's reply`,
          `• \`${cmd} list\`: browse the articles by family (\`${cmd} list online\`, \`${cmd} list transport\`)`,
          "Paste an Exchange error in a channel I'm in and I answer in a thread: the cause, the numbered steps, and buttons that run a POP3, SMTP or IMAP probe against a named host.",
        ].join("\n"),
      ),
      ...(opts.families?.length ? [section(`*Families*\n${familyIndex(opts.families, cmd)}`.slice(0, 2900))] : []),
      context(hostLine),
    ],
  };
}

/** A "Show" button: a public pick, or with `privateIn` (the shortcut's thread) a pick whose answer stays private. */
function candidate(a: Article, i: number, privateIn?: Omit<ShareValue, "article">): Block {
  const button = privateIn
    ? { action_id: actionId(ACTION.pickPrivate, i), value: encodeShareValue({ article: a.id, ...privateIn }) }
    : { action_id: actionId(ACTION.pick, i), value: a.id };
  return {
    type: "section",
    text: { type: "mrkdwn", text: `*${escapeMrkdwn(a.title)}*\n${identifiers(a)}` },
    accessory: { type: "button", text: { type: "plain_text", text: "Show", emoji: true }, ...button },
  };
}

/**
 * `ambiguous`: one button per candidate; choosing posts that answer in the channel. From the shortcut
 * (`privateIn`: the explained message's thread) choosing answers privately, as the shortcut does.
 */
export function renderPickList(query: string, matches: readonly Match[], privateIn?: Omit<ShareValue, "article">): SlackMessage {
  const shown = matches.slice(0, PICK_MAX);
  return {
    text: `Several articles could match ${quoteUserText(query, 60)}`,
    blocks: [
      section(`Several articles could match ${quoteUserText(query)}. Pick one${privateIn ? " (only you see this, and the answer)" : ""}:`, { block_id: BLOCK.picks }),
      ...shown.map((m, i) => candidate(m.article, i, privateIn)),
      ...(matches.length > shown.length ? [context(`${matches.length - shown.length} weaker matches not shown. Add an event ID or the error text to narrow it down.`)] : []),
    ],
  };
}

/** "Did you mean 11202?" for an identifier one typo off: the identifier and article come from the knowledge base, never from the query. */
function didYouMeanBlock(s: Suggestion, i: number, byId: ((id: string) => Article | undefined) | undefined): Block {
  const a = byId?.(s.article);
  const where = s.id === s.article ? "" : ` (${escapeMrkdwn(s.article)}${a ? `: ${escapeMrkdwn(a.title)}` : ""})`;
  return section(`Did you mean *${escapeMrkdwn(s.id)}*${where}?`, {
    accessory: { type: "button", text: { type: "plain_text", text: "Show", emoji: true }, action_id: actionId(ACTION.pick, PICK_MAX + i), value: s.article },
  });
}

/**
 * `none`: said only to the person who asked, with "did you mean" for an event ID or KB number one typo from a
 * known one (as `exchange-bot lookup` says it), and the closest suggestions if there are any.
 */
export function renderNoMatch(
  query: string,
  suggestions: readonly Match[],
  command = "/exchange",
  didYouMean: readonly Suggestion[] = [],
  byId?: (id: string) => Article | undefined,
): SlackMessage {
  const shown = suggestions.slice(0, PICK_MAX);
  const q = query.trim() ? quoteUserText(query) : "that";
  const typo = didYouMean.length ? ` Did you mean ${didYouMean.map((s) => escapeMrkdwn(s.id)).join(" or ")}?` : "";
  return {
    text: `No article matches ${query.trim() ? quoteUserText(query, 60) : "that"}.${typo}`,
    blocks: [
      section(`No article in the knowledge base matches ${q}.`),
      ...didYouMean.slice(0, PICK_MAX).map((s, i) => didYouMeanBlock(s, i, byId)),
      ...(shown.length ? [section("Closest:"), ...shown.map((m, i) => candidate(m.article, i))] : []),
      context(`Try an event ID (\`${command} 11202\`), a KB number (\`${command} Q171435\`) or paste the full error text. \`${command} help\` shows usage.`),
    ],
  };
}

export function renderAlreadyAnswered(articleId: string): SlackMessage {
  return { text: `${escapeMrkdwn(articleId)} is already answered in this thread.`, blocks: [context(`${escapeMrkdwn(articleId)} is already answered in this thread.`)] };
}

/**
 * A paste holding a clear-text credential: said only to the poster, naming the kind of find and never the
 * secret itself.
 */
export function renderCredentialWarning(kinds: readonly string[]): SlackMessage {
  const what = kinds.length ? kinds.join("; ") : "a password";
  return {
    text: "Your message contains a password in clear text: delete it and change the password.",
    blocks: [
      section(
        `:warning: *Your message contains a password in clear text* (${what}). Anyone in this conversation can read it.\n` +
          "1. Delete the message now (hover over it, *More actions*, *Delete message*).\n" +
          "2. Change that password, and the probe account's if it was that one.\n" +
          "Next time, replace the password with `********` before pasting. I have not repeated it anywhere.",
      ),
    ],
  };
}
