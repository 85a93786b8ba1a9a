// Checks on button clicks before any handler runs. A signed payload is still not proof of a sane click:
// Slack Connect brings clicks from other teams, a user can lack an id, a button value can carry control
// characters, an action_id can be one no handler knows (Bolt would leave it unacked for 3 s, then 404).
// Each of those is acked at once and refused with a log line; the probe only runs from the installed team,
// in a channel where the bot has answered. (A payload with no `user` at all never gets here: Bolt fails on
// it first, and payload-errors.ts answers 400.)
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { ACTION, actionKind } from "../render/actions.js";
import type { BotServices } from "./services.js";

interface ClickBody {
  type?: unknown;
  team?: { id?: unknown } | null;
  user?: { id?: unknown; team_id?: unknown } | null;
  channel?: { id?: unknown } | null;
  container?: { channel_id?: unknown } | null;
  actions?: Array<{ action_id?: unknown; value?: unknown }>;
}

const KNOWN = new Set<string>(Object.values(ACTION));
/** Kinds that act in the channel on the bot's behalf: only where the bot has answered. */
const IN_ANSWERED_CHANNEL = new Set<string>([ACTION.probe, ACTION.show]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

export function guardClicks(svc: BotServices, installedTeam: () => string | undefined): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as ClickBody;
    if (body.type !== "block_actions") return args.next();
    const ack = "ack" in args && typeof args.ack === "function" ? (args.ack as () => Promise<void>) : async () => undefined;
    const respond = "respond" in args && typeof args.respond === "function" ? (args.respond as (m: Record<string, unknown>) => Promise<unknown>) : undefined;
    const action = body.actions?.[0];
    const kind = actionKind(str(action?.action_id) ?? "");
    const user = str(body.user?.id);
    const team = str(body.team?.id) ?? str(body.user?.team_id);
    const channel = str(body.channel?.id) ?? str(body.container?.channel_id);
    const refuse = async (reason: string, tell?: string): Promise<void> => {
      await ack();
      svc.log({ event: "click_refused", reason, action: kind.slice(0, 40), ...(user ? { user } : {}), ...(channel ? { channel } : {}) });
      if (tell && respond) await respond({ response_type: "ephemeral", replace_original: false, text: tell }).catch(() => undefined);
    };
    if (!user) return refuse("no_user");
    if (!KNOWN.has(kind)) return refuse("unknown_action");
    const expected = installedTeam();
    if (expected && team !== expected) return refuse("other_team", "This button only works in the workspace where exchange-bot is installed.");
    const value = str(action?.value) ?? "";
    if (CONTROL.test(value)) return refuse("malformed_value", "That button is damaged (its value holds control characters), so I won't act on it.");
    if (IN_ANSWERED_CHANNEL.has(kind) && !(channel && (await svc.claims.hasAnsweredIn(channel))))
      return refuse("channel_not_answered", "I only act on buttons from my own answers in this channel.");
    await args.next();
  };
}
