// The conversation the Web API stand-in keeps: every message in posting order, a numbered change feed
// (posted / updated / deleted) and a "change" event, so tests, the benchmark and the local page read it back.
import { EventEmitter } from "node:events";
import { messageTs } from "./signing.js";

export type Via = "chat.postMessage" | "chat.postEphemeral" | "response_url" | "user";

export interface RecordedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
  /** Who posted it: the bot's user id, or the person for messages added with postUserMessage. */
  user: string;
  bot_id?: string;
  /** Set when only this user can see the message (chat.postEphemeral, response_url without in_channel). */
  ephemeral_to?: string;
  via: Via;
  /** How many times chat.update or replace_original changed it. */
  edits: number;
  deleted: boolean;
}

export type ChangeType = "posted" | "updated" | "deleted";

/**
 * A modal the bot opened with views.open (the "Details" view, or the "What was wrong?" form after a "No"),
 * kept for the local page, which draws it and sends a form's "Send" back as a view_submission, and for tests.
 */
export interface OpenedView {
  id: string;
  trigger_id: string;
  view: Record<string, unknown>;
}

export interface Change {
  seq: number;
  type: ChangeType;
  message: RecordedMessage;
}

/** Change history kept for feeds and tests; a long local session drops the oldest beyond this. */
export const HISTORY_MAX = 5000;

/** Drops the oldest entries once a list is twice its cap, so trimming costs little per push. */
export function cap<T>(list: T[], max = HISTORY_MAX): void {
  if (list.length > 2 * max) list.splice(0, list.length - max);
}

export class MessageStore extends EventEmitter {
  private readonly byKey = new Map<string, RecordedMessage>();
  private readonly ordered: RecordedMessage[] = [];
  private readonly changes: Change[] = [];
  private readonly opened: OpenedView[] = [];
  private seq = 0;

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** A Slack-shaped message timestamp, strictly increasing across the whole workspace. */
  /** One clock with the signed-request builders, so a message ts is unique whichever side made it. */
  nextTs(): string {
    return messageTs();
  }

  /** Messages in posting order (deleted ones left out unless asked), optionally for one channel or thread. */
  messages(filter: { channel?: string; thread_ts?: string; via?: Via; includeDeleted?: boolean } = {}): RecordedMessage[] {
    return this.ordered.filter(
      (m) =>
        (filter.includeDeleted || !m.deleted) &&
        (filter.channel === undefined || m.channel === filter.channel) &&
        (filter.thread_ts === undefined || m.thread_ts === filter.thread_ts || m.ts === filter.thread_ts) &&
        (filter.via === undefined || m.via === filter.via),
    );
  }

  /** Messages the bot sent (leaves out what postUserMessage added). */
  botMessages(filter: { channel?: string; thread_ts?: string } = {}): RecordedMessage[] {
    return this.messages(filter).filter((m) => m.via !== "user");
  }

  message(channel: string, ts: string): RecordedMessage | undefined {
    return this.byKey.get(`${channel}/${ts}`);
  }

  changesSince(seq: number): Change[] {
    // Changes are appended in seq order, so a binary search finds the start.
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.changes[mid]?.seq ?? 0) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.changes.slice(lo);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** A message typed by a person (local mode's channel page): recorded so the conversation reads in order. */
  postUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string; ts?: string }): RecordedMessage {
    const msg: RecordedMessage = {
      channel: m.channel,
      ts: m.ts ?? this.nextTs(),
      text: m.text,
      blocks: [],
      user: m.user,
      via: "user",
      edits: 0,
      deleted: false,
      ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
    };
    this.add(msg);
    return msg;
  }

  /** Resolves with the first truthy value of `probe`, checked now and after every change; rejects after timeoutMs.
   *  The default is generous: it only costs time when a test is already failing, and a loaded CI machine is slow. */
  waitFor<T>(probe: () => T | undefined | false | null, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = probe();
      if (first) return resolve(first);
      const onChange = (): void => {
        const v = probe();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`webapi.waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off("change", onChange);
      };
      this.on("change", onChange);
    });
  }

  /** Modals opened so far, oldest first. */
  views(): OpenedView[] {
    return [...this.opened];
  }

  /** Records a modal and announces it ("view" event): the local page shows it over the channel. */
  openView(v: OpenedView): void {
    this.opened.push(v);
    cap(this.opened);
    this.emit("view", v);
  }

  /** Records a new message and announces it. */
  add(msg: RecordedMessage): void {
    this.byKey.set(`${msg.channel}/${msg.ts}`, msg);
    this.ordered.push(msg);
    this.changed("posted", msg);
  }

  /** Announces an edit or deletion already made to a stored message. */
  changed(type: ChangeType, msg: RecordedMessage): void {
    const change: Change = { seq: ++this.seq, type, message: structuredClone(msg) };
    this.changes.push(change);
    cap(this.changes);
    this.emit("change", change);
  }

  /** Forget every message and change. */
  protected clearMessages(): void {
    this.byKey.clear();
    this.ordered.length = 0;
    this.changes.length = 0;
    this.opened.length = 0;
  }

  /** Keep memory flat in long runs: drop the change history, keep messages. */
  protected clearChanges(): void {
    this.changes.length = 0;
  }
}
