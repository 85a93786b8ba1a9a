// Action ids and button values: the renderers write them, the Slack action handlers read them back.
// Values come back from Slack inside signed payloads, but they are still parsed defensively.

export const ACTION = {
  /** Run a probe (POP3, SMTP or IMAP, as the host says): value {h: host name}. action_id carries a running index for uniqueness. */
  probe: "probe",
  /** Pick one article from a pick list or no-match suggestions (ephemeral): value = article id. */
  pick: "pick",
  /** Pick one article from the shortcut's private pick list: the answer stays private. Value: a share value (render/private.ts). */
  pickPrivate: "pick_private",
  /** Show an article named by a probe diagnosis, in the same thread: value = article id. */
  show: "show",
  /** Open the article's long form: value = article id. */
  details: "details",
  /** Share a privately shown answer in the thread it belongs to: value = article id. */
  share: "share",
  feedbackYes: "feedback_yes",
  feedbackNo: "feedback_no",
} as const;

export const BLOCK = {
  probe: "probe",
  feedbackQuestion: "feedback_q",
  feedback: "feedback",
  diagnosis: "diagnosis",
  picks: "picks",
  details: "details",
  share: "share",
  asked: "asked",
} as const;

/** action_id for the i-th button of a kind: Slack wants action ids unique within a message. */
export function actionId(kind: string, i: number): string {
  return `${kind}:${i}`;
}

/** The kind of an action_id written by actionId(). */
export function actionKind(id: string): string {
  const i = id.indexOf(":");
  return i < 0 ? id : id.slice(0, i);
}

export interface ProbeValue {
  host: string;
  /** The article whose answer offered the button: the probe's outcome is counted for it (kb stats). */
  article?: string;
}

export function encodeProbeValue(v: ProbeValue): string {
  return JSON.stringify({ h: v.host, ...(v.article ? { a: v.article } : {}) });
}

export function decodeProbeValue(s: string | undefined): ProbeValue | undefined {
  if (!s || s.length > 2000) return undefined;
  try {
    const o = JSON.parse(s) as { h?: unknown; a?: unknown };
    if (typeof o.h === "string" && o.h) return { host: o.h, ...(typeof o.a === "string" && o.a && o.a.length <= 80 ? { article: o.a } : {}) };
  } catch {
    // fall through: not ours
  }
  return undefined;
}
