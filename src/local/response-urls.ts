// response_urls as Slack hands them out with slash commands and interactions: each works five times for
// 30 minutes; it answers privately unless told in_channel, and can replace or delete the message a button
// sat on.
import { blocksParam } from "./block-check.js";
import type { MessageStore, RecordedMessage } from "./message-store.js";
import type { Params, WorkspaceIdentity } from "./webapi-methods.js";

/** Slack lets a response_url be used for 30 minutes. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;
// Slack lets a response_url be used five times.
const RESPONSE_URL_USES = 5;

export interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** The message a block_actions response_url belongs to: replace_original / delete_original act on it. */
  messageTs?: string;
}

interface Issued extends ResponseUrlTarget {
  uses: number;
  /** When it was handed out (ms since the epoch). */
  at: number;
}

/** What a POST to a response_url got: the HTTP status, Slack's body, and the outcome for the call log. */
export interface ResponseUrlAnswer {
  status: number;
  body: string;
  outcome: string;
  params: Params;
}

export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();
  private seq = 0;

  /** A new id for `target`; the caller builds the URL from it. */
  create(target: ResponseUrlTarget): string {
    const id = `R${++this.seq}x${Math.random().toString(36).slice(2, 10)}`;
    const now = Date.now();
    // Map order is creation order: expired ones sit at the front.
    for (const [k, t] of this.issued) {
      if (now - t.at < RESPONSE_URL_TTL_MS) break;
      this.issued.delete(k);
    }
    this.issued.set(id, { ...target, uses: 0, at: now });
    return id;
  }

  clear(): void {
    this.issued.clear();
  }

  /** Acts on one POST to the response_url `id`; `body` is undefined when it was over the size limit. */
  answer(id: string, body: string | undefined, store: MessageStore, identity: WorkspaceIdentity): ResponseUrlAnswer | undefined {
    const target = this.issued.get(id);
    if (!target) return undefined;
    if (body === undefined) return { status: 413, body: "request_too_large", outcome: "request_too_large", params: {} };
    let p: Params;
    try {
      p = JSON.parse(body) as Params;
      if (!p || typeof p !== "object") throw new Error("not an object");
    } catch {
      return { status: 400, body: "invalid_payload", outcome: "invalid_payload", params: {} };
    }
    const refuse = (status: number, error: string): ResponseUrlAnswer => ({ status, body: error, outcome: error, params: p });
    if (++target.uses > RESPONSE_URL_USES) return refuse(404, "used_url");
    const checked = blocksParam(p.blocks);
    if (!checked.ok) return refuse(400, "invalid_blocks");
    const blocks = checked.blocks;
    const ok: ResponseUrlAnswer = { status: 200, body: "ok", outcome: "ok", params: p };
    const text = typeof p.text === "string" ? p.text : "";
    const original = target.messageTs ? store.message(target.channel, target.messageTs) : undefined;
    if (p.delete_original === true || p.delete_original === "true") {
      if (original && !original.deleted) {
        original.deleted = true;
        store.changed("deleted", original);
      }
      return ok;
    }
    if ((p.replace_original === true || p.replace_original === "true") && original && !original.deleted) {
      original.text = text;
      original.blocks = blocks ?? [];
      original.edits++;
      store.changed("updated", original);
      return ok;
    }
    if (!text && !blocks?.length) return refuse(400, "no_text");
    const inChannel = p.response_type === "in_channel";
    const threadTs = typeof p.thread_ts === "string" ? p.thread_ts : undefined;
    const msg: RecordedMessage = {
      channel: target.channel,
      ts: store.nextTs(),
      text,
      blocks: blocks ?? [],
      user: identity.botUserId,
      bot_id: identity.botId,
      via: "response_url",
      edits: 0,
      deleted: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(inChannel ? {} : { ephemeral_to: target.user }),
    };
    store.add(msg);
    return ok;
  }
}
