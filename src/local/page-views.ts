// "Send" on a modal the bot opened (the "What was wrong?" view after a "No"): turned into the signed
// view_submission Slack would send, through the same receiver as everything else. What is sent is read from
// the view the bot opened, never from the page: its callback_id and private_metadata, and only the text
// inputs it declared, each held to its max_length as Slack's own client does.
import { HttpError } from "./page-http.js";
import type { OpenedView } from "./message-store.js";
import type { SignedRequest, Workspace } from "./signing.js";
import { viewSubmissionRequest, type ViewSubmissionFields } from "./view-submission-request.js";

interface TextInput {
  block: string;
  action: string;
  label: string;
  optional: boolean;
  max: number;
}

/** Slack's own ceiling for a plain_text_input. */
const INPUT_MAX = 3000;

/** The plain-text inputs a modal declares, in order. */
export function textInputs(view: Record<string, unknown>): TextInput[] {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : [];
  return blocks.flatMap((b) => {
    const el = b.element as { type?: unknown; action_id?: unknown; max_length?: unknown } | undefined;
    if (b.type !== "input" || typeof b.block_id !== "string" || el?.type !== "plain_text_input" || typeof el.action_id !== "string") return [];
    const label = (b.label as { text?: unknown } | undefined)?.text;
    const max = typeof el.max_length === "number" && el.max_length > 0 ? Math.min(el.max_length, INPUT_MAX) : INPUT_MAX;
    return [{ block: b.block_id, action: el.action_id, label: typeof label === "string" ? label : b.block_id, optional: b.optional === true, max }];
  });
}

/** The page's `values` ({block_id: {action_id: text}}) as Slack's view.state.values; an HttpError says what does not fit. */
export function stateValues(view: Record<string, unknown>, given: unknown): ViewSubmissionFields["values"] {
  const g = given && typeof given === "object" ? (given as Record<string, Record<string, unknown> | undefined>) : {};
  const values: ViewSubmissionFields["values"] = {};
  for (const input of textInputs(view)) {
    const raw = g[input.block]?.[input.action];
    const text = typeof raw === "string" ? raw : "";
    if (text.length > input.max) throw new HttpError(400, `"${input.label}" takes at most ${input.max} characters; this has ${text.length}.`);
    if (!input.optional && !text.trim()) throw new HttpError(400, `"${input.label}" is required.`);
    // Slack sends null for an optional field left empty.
    values[input.block] = { [input.action]: { type: "plain_text_input", value: text === "" ? null : text } };
  }
  return values;
}

export interface SubmitContext {
  views: () => OpenedView[];
  signingSecret: string;
  user: string;
  ws: Workspace;
  /** Hands the request to the bot; resolves with the ack's body. */
  forward: (kind: string, signed: SignedRequest) => Promise<string>;
}

/** What the page shows after "Send": closed, or the bot's errors under the fields (response_action "errors"). */
export type SubmitResult = { ok: true; closed: true } | { ok: true; closed: false; errors: Record<string, string> };

export function viewSubmitter(c: SubmitContext): (body: Record<string, unknown>) => Promise<SubmitResult> {
  // A modal closes when it is sent; sending it again is what a double click would do, and is refused.
  const sent = new Set<string>();
  return async (body) => {
    const opened = c.views().find((v) => v.id === body.view_id);
    if (!opened || sent.has(opened.id)) throw new HttpError(404, "That window is closed.");
    const view = opened.view;
    if (!view.submit || typeof view.callback_id !== "string") throw new HttpError(400, "That window has nothing to send.");
    const values = stateValues(view, body.values);
    const fields = { callback_id: view.callback_id, private_metadata: typeof view.private_metadata === "string" ? view.private_metadata : "", values, user_id: c.user };
    const ack = await c.forward("form", viewSubmissionRequest(c.signingSecret, fields, c.ws));
    const errors = ackErrors(ack);
    if (errors) return { ok: true, closed: false, errors };
    sent.add(opened.id);
    return { ok: true, closed: true };
  };
}

function ackErrors(ack: string): Record<string, string> | undefined {
  if (!ack.trim()) return undefined;
  try {
    const a = JSON.parse(ack) as { response_action?: unknown; errors?: unknown };
    if (a.response_action === "errors" && a.errors && typeof a.errors === "object") {
      return Object.fromEntries(Object.entries(a.errors as Record<string, unknown>).map(([k, v]) => [k, String(v).slice(0, 300)]));
    }
  } catch {
    // An ack body that is not JSON closes the modal, as in Slack.
  }
  return undefined;
}
