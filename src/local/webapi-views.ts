// The stand-in's views.open (the "Details" modal, the "What was wrong?" form) and usergroups.users.list (probe
// allow-lists by group).
import { checkBlocks } from "./block-check.js";
import type { Params, WebApiMethod } from "./webapi-methods.js";
import { slackId } from "./signing.js";

/** Slack's limits for a modal: a title of 24 characters, 100 blocks. */
const MODAL_TITLE = 24;
const MODAL_BLOCKS = 100;

function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

function viewOpen(p: Params, store: Parameters<WebApiMethod>[1]["store"]): Record<string, unknown> {
  const trigger = typeof p.trigger_id === "string" ? p.trigger_id : "";
  if (!trigger) return { ok: false, error: "invalid_arguments" };
  // Slack's trigger ids are "<seconds or ms>.<digits>.<hex>"-like; anything else never came from a click.
  if (!/^\d+\.[\w.]+$/.test(trigger)) return { ok: false, error: "invalid_trigger_id" };
  const view = parseJson(p.view) as Record<string, unknown> | undefined;
  if (!view || typeof view !== "object" || view.type !== "modal") return { ok: false, error: "invalid_arguments" };
  const title = (view.title as { text?: unknown } | undefined)?.text;
  if (typeof title !== "string" || !title || title.length > MODAL_TITLE) return { ok: false, error: "invalid_arguments", response_metadata: { messages: [`title must be 1-${MODAL_TITLE} characters`] } };
  const blocks = view.blocks;
  if (!Array.isArray(blocks) || blocks.length > MODAL_BLOCKS) return { ok: false, error: "invalid_arguments", response_metadata: { messages: [`a modal holds at most ${MODAL_BLOCKS} blocks`] } };
  // checkBlocks counts against a message's 50 blocks; a modal may hold 100, so check them in halves.
  const problems = [...checkBlocks(blocks.slice(0, 50)), ...checkBlocks(blocks.slice(50))];
  if (problems.length) return { ok: false, error: "invalid_blocks", response_metadata: { messages: problems.map((x) => `${x.path}: ${x.message}`) } };
  const id = slackId("V");
  store.openView({ id, trigger_id: trigger, view });
  return { ok: true, view: { id, ...view } };
}

export const VIEW_AND_GROUP_METHODS: Readonly<Record<string, WebApiMethod>> = {
  "views.open": (p, { store }) => viewOpen(p, store),

  "usergroups.users.list": (p, { usergroups }) => {
    const id = typeof p.usergroup === "string" ? p.usergroup : "";
    const users = usergroups.get(id);
    return users ? { ok: true, users: [...users] } : { ok: false, error: "no_such_subteam" };
  },
};
