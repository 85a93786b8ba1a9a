// A signed `view_submission` interaction, as Slack sends it when a person submits a modal the bot opened.
import { signRequest, slackId, ws, type SignedRequest, type SignOptions, type Workspace } from "./signing.js";

export interface ViewSubmissionFields {
  callback_id: string;
  private_metadata: string;
  /** view.state.values: block_id -> action_id -> { type, value }. */
  values: Record<string, Record<string, { type: string; value: string | null }>>;
  user_id?: string;
}

export function viewSubmissionRequest(secret: string, f: ViewSubmissionFields, w?: Workspace, opts?: SignOptions): SignedRequest {
  const s = ws(w);
  const teamId = s.teamId;
  const payload = {
    type: "view_submission",
    team: { id: teamId, domain: s.teamDomain },
    user: { id: f.user_id ?? "U0ADMIN01", username: "admin", name: "admin", team_id: teamId },
    api_app_id: s.appId,
    token: "verification-token-unused",
    trigger_id: `${Date.now()}.${slackId("")}`,
    view: {
      id: slackId("V"),
      team_id: teamId,
      type: "modal",
      callback_id: f.callback_id,
      private_metadata: f.private_metadata,
      blocks: [],
      state: { values: f.values },
      hash: `${Date.now()}.${slackId("")}`,
      title: { type: "plain_text", text: "Modal" },
      close: null,
      submit: null,
      root_view_id: null,
      previous_view_id: null,
      app_id: s.appId,
      bot_id: "B0EXCHBOT",
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return signRequest(secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", opts);
}
