// A signed `message_action` interaction, as Slack sends it when someone picks a message shortcut
// ("Explain this Exchange error") from a message's "More actions" menu.
import { signRequest, slackId, ws, type SignedRequest, type SignOptions, type Workspace } from "./signing.js";

export interface MessageShortcutFields {
  callback_id: string;
  user_id: string;
  channel_id: string;
  /** The message the shortcut was used on. */
  message: { ts: string; text: string; user: string; thread_ts?: string };
  response_url?: string;
}

export function messageShortcutRequest(secret: string, f: MessageShortcutFields, w?: Workspace, opts?: SignOptions): SignedRequest {
  const s = ws(w);
  const payload = {
    type: "message_action",
    callback_id: f.callback_id,
    trigger_id: `${Date.now()}.${slackId("")}`,
    action_ts: `${Date.now() / 1000}`,
    token: "verification-token-unused",
    team: { id: s.teamId, domain: s.teamDomain },
    user: { id: f.user_id, username: "admin", name: "admin", team_id: s.teamId },
    channel: { id: f.channel_id, name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    message_ts: f.message.ts,
    message: { type: "message", user: f.message.user, ts: f.message.ts, text: f.message.text, ...(f.message.thread_ts ? { thread_ts: f.message.thread_ts } : {}) },
    response_url: f.response_url ?? "http://127.0.0.1:9/response/none",
  };
  return signRequest(secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", opts);
}
