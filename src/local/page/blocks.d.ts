// Types for blocks.js, the page's renderer (plain JS because the browser loads it as is); tests import it.
export interface RenderContext {
  /** Display names for user ids (the bot, the local user); unknown ids show as themselves. */
  users?: Record<string, string>;
}
export interface RenderableMessage {
  text?: string;
  blocks?: unknown[];
}
export function escapeHtml(s: string): string;
export function emoji(name: string): string;
export function mrkdwn(text: string, ctx?: RenderContext): string;
export function plainText(t: { text?: string; emoji?: boolean } | undefined): string;
export function textObject(t: unknown, ctx?: RenderContext): string;
export function messageBody(msg: RenderableMessage, ctx?: RenderContext): string;
export const SUPPORTED_BLOCKS: readonly string[];
