// Everything the bot posts passes through here, so no text (a user's paste, a knowledge file, a hostile
// POP3 server's greeting) can turn into a ping, a mention or a link in Slack.

const ZWSP = "\u200B";
// Bare words Slack (or a client with link_names) could turn into a broadcast.
const BROADCAST = /@(channel|here|everyone)\b/gi;
// Control characters other than tab and newline: never useful in a message, sometimes harmful to terminals.
// The bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) go too: they make text read in another order.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Breaks @channel/@here/@everyone and "scheme://" so they stay plain text. */
function defuse(s: string): string {
  return s.replace(BROADCAST, `@${ZWSP}$1`).replace(/:\/\//g, `:${ZWSP}//`);
}

/**
 * For mrkdwn fields: Slack requires &, < and > escaped, and with them escaped no <!channel>, <!here>,
 * <@U…>, <#C…> or <url|label> can form. Bare broadcast words are broken too.
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(CONTROL, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(BROADCAST, `@${ZWSP}$1`);
}

/** Text from outside (a POP3 server's replies, matched spans of a paste) in a mrkdwn field: links broken too. */
export function escapeUntrusted(s: string): string {
  // A ``` from outside would open (or close) a code block: the backticks of a run are kept apart.
  return defuse(escapeMrkdwn(s)).replace(/``+/g, (run) => run.split("").join(ZWSP));
}

/**
 * For plain_text objects and rich_text text elements, which Slack shows literally (entities would show as
 * "&amp;"): control characters dropped, "<!", "<@", "<#", "<http", "://" and broadcast words broken all the same.
 */
export function plainText(s: string): string {
  return defuse(s.replace(CONTROL, "").replace(/<([!@#A-Za-z])/g, `<${ZWSP}$1`));
}

/**
 * Text a person typed, echoed back inside a mrkdwn field: whitespace collapsed, capped at `max` characters
 * with the cut said out loud, formatting and links neutralised, shown as inline code.
 */
export function quoteUserText(s: string, max = 120): string {
  const flat = s.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  const shown = chars.length > max ? `${chars.slice(0, max).join("")}… (${chars.length - max} more characters)` : flat;
  // A backtick would close the code span and let the rest be read as mrkdwn; U+02CB looks the same.
  return `\`${defuse(escapeMrkdwn(shown.replace(/`/g, "\u02CB")))}\``;
}

/** A Slack user id from a verified payload; anything else is not turned into a mention. */
export function userMention(id: string | undefined): string {
  return id && /^[UW][A-Z0-9]{2,20}$/.test(id) ? `<@${id}>` : "someone";
}
