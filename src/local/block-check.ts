// The Web API stand-in's one check of a message's blocks, as Slack makes it: parse the `blocks` parameter
// (an array, or the JSON string a form post carries), then hold it to Block Kit's published limits.
import { LIMITS } from "../render/limits.js";

/** A block as a client sent it: only `type` is known until each field is checked. */
type Block = { type: string; [field: string]: unknown };

export interface LimitViolation {
  path: string;
  message: string;
}

function textOf(obj: unknown): string | undefined {
  if (obj && typeof obj === "object" && typeof (obj as { text?: unknown }).text === "string") return (obj as { text: string }).text;
  return undefined;
}

function checkButton(el: Record<string, unknown>, path: string, out: LimitViolation[]): void {
  const t = textOf(el.text);
  if (t === undefined) out.push({ path: `${path}.text`, message: "button needs a text object" });
  else if (t.length > LIMITS.buttonText) out.push({ path: `${path}.text`, message: `button text is ${t.length} chars, over ${LIMITS.buttonText}` });
  if (typeof el.value === "string" && el.value.length > LIMITS.buttonValue)
    out.push({ path: `${path}.value`, message: `button value is ${el.value.length} chars, over ${LIMITS.buttonValue}` });
  if (typeof el.action_id === "string" && el.action_id.length > LIMITS.actionId)
    out.push({ path: `${path}.action_id`, message: `action_id over ${LIMITS.actionId} chars` });
}

function richTextLength(node: unknown): number {
  if (!node || typeof node !== "object") return 0;
  const n = node as { text?: unknown; elements?: unknown };
  let len = typeof n.text === "string" ? n.text.length : 0;
  if (Array.isArray(n.elements)) for (const e of n.elements) len += richTextLength(e);
  return len;
}

/** A context or actions block: it needs elements, at most `max` of them, and each passes `each`. */
function checkElements(b: Block, path: string, kind: "context" | "action", max: number, out: LimitViolation[], each: (e: unknown, at: string) => void): void {
  const els = b.elements;
  if (!Array.isArray(els) || els.length === 0) return void out.push({ path, message: `${kind === "action" ? "actions" : kind} needs elements` });
  if (els.length > max) out.push({ path, message: `${els.length} ${kind} elements, over ${max}` });
  els.forEach((e, j) => each(e, `${path}.elements[${j}]`));
}

/** Checks a message's blocks against Slack's limits. Empty list means Slack would accept them. */
export function checkBlocks(blocks: unknown): LimitViolation[] {
  const out: LimitViolation[] = [];
  if (!Array.isArray(blocks)) return [{ path: "blocks", message: "blocks must be an array" }];
  if (blocks.length > LIMITS.blocksPerMessage) out.push({ path: "blocks", message: `${blocks.length} blocks, over ${LIMITS.blocksPerMessage}` });
  blocks.forEach((raw, i) => {
    const path = `blocks[${i}]`;
    if (!raw || typeof raw !== "object" || typeof (raw as Block).type !== "string") {
      out.push({ path, message: "block must be an object with a type" });
      return;
    }
    const b = raw as Block;
    if (typeof b.block_id === "string" && b.block_id.length > LIMITS.blockId) out.push({ path: `${path}.block_id`, message: `block_id over ${LIMITS.blockId} chars` });
    switch (b.type) {
      case "header": {
        const t = textOf(b.text);
        if (!t) out.push({ path: `${path}.text`, message: "header needs text" });
        else if (t.length > LIMITS.headerText) out.push({ path: `${path}.text`, message: `header is ${t.length} chars, over ${LIMITS.headerText}` });
        break;
      }
      case "section": {
        const t = textOf(b.text);
        if (t !== undefined && t.length > LIMITS.sectionText) out.push({ path: `${path}.text`, message: `section text is ${t.length} chars, over ${LIMITS.sectionText}` });
        if (t === undefined && !Array.isArray(b.fields)) out.push({ path, message: "section needs text or fields" });
        if (t !== undefined && t.length === 0) out.push({ path: `${path}.text`, message: "section text is empty" });
        const acc = b.accessory as Record<string, unknown> | undefined;
        if (acc && acc.type === "button") checkButton(acc, `${path}.accessory`, out);
        break;
      }
      case "context":
        checkElements(b, path, "context", LIMITS.contextElements, out, (e, at) => {
          const t = textOf(e);
          if (t !== undefined && t.length > LIMITS.contextText) out.push({ path: at, message: `context text over ${LIMITS.contextText}` });
        });
        break;
      case "actions":
        checkElements(b, path, "action", LIMITS.actionsElements, out, (e, at) => {
          if (e && typeof e === "object" && (e as { type?: unknown }).type === "button") checkButton(e as Record<string, unknown>, at, out);
        });
        break;
      case "rich_text": {
        // Slack documents no per-element cap here; we hold each rich_text block to the section cap so it stays readable.
        const len = richTextLength(b);
        if (len > LIMITS.sectionText) out.push({ path, message: `rich_text holds ${len} chars, over ${LIMITS.sectionText}` });
        break;
      }
      default:
        break;
    }
  });
  return out;
}

/** The `blocks` parameter of a chat.* call or response_url body: absent, accepted, or Slack's invalid_blocks. */
export type BlocksParam = { ok: true; blocks: unknown[] | undefined } | { ok: false; error: "invalid_blocks"; errors: string[] };

export function blocksParam(v: unknown): BlocksParam {
  if (v === undefined || v === "") return { ok: true, blocks: undefined };
  let blocks: unknown = v;
  if (typeof v === "string") {
    try {
      blocks = JSON.parse(v);
    } catch {
      return { ok: false, error: "invalid_blocks", errors: ["blocks: not JSON"] };
    }
  }
  if (!Array.isArray(blocks)) return { ok: false, error: "invalid_blocks", errors: ["blocks: must be an array"] };
  const problems = checkBlocks(blocks);
  if (problems.length) return { ok: false, error: "invalid_blocks", errors: problems.map((x) => `${x.path}: ${x.message}`) };
  return { ok: true, blocks };
}
