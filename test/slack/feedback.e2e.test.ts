// "Did this help?" end to end through the real receiver: per-person votes that can change, the count on the
// message, the "No" modal and its submission, and votes kept in DATA_DIR across a restart of the bot.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseHistory } from "../../src/feedback/records.js";
import { slashCommandRequest } from "../../src/local/signing.js";
import { viewSubmissionRequest } from "../../src/local/view-submission-request.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { REASON_BLOCK, REASON_CALLBACK, REASON_INPUT } from "../../src/render/feedback.js";
import { FEEDBACK_FILE, FileFeedbackStore } from "../../src/state/feedback-file.js";
import { buttons, clickButton, eventually, SECRET, startHarness, visibleText, type Harness } from "./harness.js";

const dataDir = mkdtempSync(join(tmpdir(), "feedback-e2e-"));
const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function bot(): Promise<Harness> {
  const h = await startHarness({ feedbackStore: FileFeedbackStore.open(dataDir) });
  harnesses.push(h);
  return h;
}

async function answer(h: Harness, channel: string, text = "13003"): Promise<RecordedMessage> {
  await h.send(slashCommandRequest(SECRET, { text, channel_id: channel, user_id: "U0ASKER01", response_url: h.api.newResponseUrl({ channel, user: "U0ASKER01" }) }, h.ws));
  return h.api.waitFor(() => h.api.botMessages({ channel }).find((m) => !m.thread_ts && buttons(m).some((b) => b.action_id.startsWith("feedback"))));
}

async function vote(h: Harness, m: RecordedMessage, yes: boolean, user: string): Promise<RecordedMessage> {
  const current = h.api.message(m.channel, m.ts)!;
  const edits = current.edits;
  const b = buttons(current).find((x) => x.action_id.startsWith(yes ? "feedback_yes" : "feedback_no"))!;
  expect((await clickButton(h, current, b, user)).status).toBe(200);
  return h.api.waitFor(() => {
    const now = h.api.message(m.channel, m.ts);
    return now && now.edits > edits ? now : undefined;
  });
}

const countLine = (m: RecordedMessage): string => visibleText(m.blocks).match(/\d+ found this helpful · \d+ did not/)?.[0] ?? "";

describe("Did this help?", () => {
  it("counts each person once, lets them change their vote, and keeps the buttons for everyone", async () => {
    const h = await bot();
    const parent = await answer(h, "C0VOTES01");
    let m = await vote(h, parent, true, "U0ALICE01");
    expect(countLine(m)).toBe("1 found this helpful · 0 did not");
    m = await vote(h, parent, true, "U0ALICE01");
    expect(countLine(m)).toBe("1 found this helpful · 0 did not");
    m = await vote(h, parent, false, "U0BOB0001");
    expect(countLine(m)).toBe("1 found this helpful · 1 did not");
    m = await vote(h, parent, false, "U0ALICE01");
    expect(countLine(m)).toBe("0 found this helpful · 2 did not");
    expect(buttons(m).filter((b) => b.action_id.startsWith("feedback")).map((b) => b.text)).toEqual(["Yes", "No"]);
    // The rest of the answer is untouched, and the count sits once, right under the buttons.
    expect(visibleText(m.blocks)).toContain("Cause");
    expect(m.blocks.filter((b) => (b as { block_id?: string }).block_id === "feedback_count")).toHaveLength(1);
  });

  it("opens a modal on No, and its submission through the receiver records what was wrong", async () => {
    const h = await bot();
    const parent = await answer(h, "C0MODAL01");
    await vote(h, parent, false, "U0CAROL01");
    const open = await eventually(() => h.api.calls("views.open").at(-1));
    const view = JSON.parse(String(open.params.view)) as { callback_id: string; private_metadata: string; blocks: { type: string; optional?: boolean }[] };
    expect(view.callback_id).toBe(REASON_CALLBACK);
    expect(view.blocks.find((b) => b.type === "input")?.optional).toBe(true);
    const reason = "Step 4 does not exist on Exchange 5.5 <!channel>";
    const res = await h.send(viewSubmissionRequest(SECRET, { callback_id: view.callback_id, private_metadata: view.private_metadata, user_id: "U0CAROL01", values: { [REASON_BLOCK]: { [REASON_INPUT]: { type: "plain_text_input", value: reason } } } }, h.ws));
    // The modal closes: an empty 200, no errors shown in it.
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    await eventually(() => h.logs.find((l) => l.event === "feedback_reason"));
    const { records } = parseHistory(readFileSync(join(dataDir, FEEDBACK_FILE), "utf8"));
    expect(records).toContainEqual(expect.objectContaining({ type: "reason", article: "Q247764", user: "U0CAROL01", answer: `C0MODAL01/${parent.ts}`, text: reason }));
    // The text stays in the trail; the log line does not carry it.
    expect(JSON.stringify(h.logs)).not.toContain("Step 4");
    // Submitting with nothing written is fine too, and records nothing more.
    const before = parseHistory(readFileSync(join(dataDir, FEEDBACK_FILE), "utf8")).records.length;
    const empty = await h.send(viewSubmissionRequest(SECRET, { callback_id: view.callback_id, private_metadata: view.private_metadata, user_id: "U0CAROL01", values: { [REASON_BLOCK]: { [REASON_INPUT]: { type: "plain_text_input", value: null } } } }, h.ws));
    expect(empty.status).toBe(200);
    expect(parseHistory(readFileSync(join(dataDir, FEEDBACK_FILE), "utf8")).records).toHaveLength(before);
  });

  it("keeps votes across a restart of the bot: the next vote counts on top of them", async () => {
    const first = await bot();
    const parent = await answer(first, "C0RESTART");
    await vote(first, parent, true, "U0DAVE001");
    await vote(first, parent, true, "U0ERIN001");
    await first.close();
    harnesses.splice(harnesses.indexOf(first), 1);
    const second = await bot();
    // The new stand-in has no messages: give it the one the votes are on, as Slack would still have it.
    second.api.add({ ...parent, edits: 0 });
    const m = await vote(second, parent, false, "U0DAVE001");
    expect(countLine(m)).toBe("1 found this helpful · 1 did not");
  });

  it("records how each answer was given", async () => {
    const h = await bot();
    const parent = await answer(h, "C0ANSWERS");
    // Written once the whole answer (parent and thread) is posted.
    const answered = await eventually(() => parseHistory(readFileSync(join(dataDir, FEEDBACK_FILE), "utf8")).records.find((r) => r.type === "answered" && r.answer === `C0ANSWERS/${parent.ts}`));
    expect(answered).toMatchObject({ type: "answered", article: "Q247764", via: "command", matchedOn: expect.stringMatching(/^command\|/) });
  });
});
