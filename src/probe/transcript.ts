import type { TranscriptLine } from "./types.js";
import { createRedactor } from "../secrets/redact.js";
import { escapeControls } from "../safe-text.js";

export { MASK } from "../secrets/redact.js";
/** Longest server line kept in a transcript; the rest is summarised (Slack and terminals both choke on more). */
const MAX_SHOWN_CHARS = 400;
/** Transcript lines kept; a huge CAPA list or a talkative server must not blow up a Slack message. */
const MAX_LINES = 200;

/** Makes server text safe to show: control characters and bidi overrides become visible escapes (src/safe-text.ts), overlong text is cut with a note. */
export function sanitise(text: string, max = MAX_SHOWN_CHARS): string {
  let s = escapeControls(text);
  if (s.length > max) s = `${s.slice(0, max)}… (${s.length - max} more characters)`;
  return s;
}

/**
 * The S:/C: record of one probe. Client lines that carry credentials are masked at the source;
 * server lines are searched for the secrets too, in case a server echoes them back.
 */
export class Transcript {
  private readonly secrets = createRedactor();
  readonly lines: TranscriptLine[] = [];
  private dropped = 0;

  constructor(private readonly clock: () => number) {}

  /** The password, and every SASL blob sent (src/secrets/redact.ts masks each in every form an echo takes). */
  addSecret(secret: string | undefined): void {
    this.secrets.add(secret);
  }

  /** Masks every known secret in text meant for people (details, findings). */
  redact(text: string): string {
    return this.secrets.redact(text);
  }

  server(raw: string): void {
    this.push(`S: ${sanitise(this.redact(raw))}`);
  }

  /** `shown` is what people may see: the caller passes "PASS ********", never the real line. */
  client(shown: string): void {
    this.push(`C: ${sanitise(this.redact(shown))}`);
  }

  private push(text: string): void {
    if (this.lines.length >= MAX_LINES) {
      this.dropped++;
      return;
    }
    this.lines.push({ at: Math.round(this.clock()), text });
  }

  /** Lines, with a closing note when some were left out. */
  finish(): TranscriptLine[] {
    if (this.dropped > 0) this.lines.push({ at: Math.round(this.clock()), text: `S: … ${this.dropped} more lines not shown` });
    this.dropped = 0;
    return this.lines;
  }
}
