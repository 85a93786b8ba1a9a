// Slack's published Block Kit limits. Renderers split content to stay inside them; the Web API stand-in
// checks every message against them (src/local/block-check.ts), as Slack does, so an overflow fails tests loudly.
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  /** Top-level `text` of chat.postMessage: Slack truncates beyond 40,000. */
  messageText: 40_000,
} as const;

/** Our own budget for one message's visible text, well under Slack's hard limits, so a message stays readable. */
export const MESSAGE_CHAR_BUDGET = 12_000;

import type { KnownBlock } from "@slack/types";

/** Every block a renderer writes is one of Slack's own Block Kit types, so the compiler checks its fields. */
export type Block = KnownBlock;
