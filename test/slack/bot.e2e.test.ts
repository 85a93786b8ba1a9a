// End to end through the real Bolt receiver: signed requests in, Web API calls recorded by the stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import { appMentionEvent, eventCallbackRequest, messageEvent, messageTs, slashCommandRequest } from "../../src/local/signing.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { buttons, clickButton, eventually, numberedSteps, SECRET, sleep, startHarness, visibleText, type Harness } from "./harness.js";

const articles = fixtureArticles();
const Q171435 = articles.find((a) => a.id === "Q171435")!;
const PASTE_11202 =
  "Event Type: Failure Audit\nEvent Source: MSExchangePOP3\nEvent ID: 11202\nDescription: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";

let h: Harness;
let chan = 0;
/** A fresh channel per test, so tests never read each other's messages. */
const newChannel = (): string => `C${String(++chan).padStart(8, "0")}`;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.logs.length = 0;
});

async function slash(text: string, channel: string, user = "U0ADMIN01") {
  const responseUrl = h.api.newResponseUrl({ channel, user });
  const res = await h.send(slashCommandRequest(SECRET, { text, channel_id: channel, user_id: user, response_url: responseUrl }, h.ws));
  return res;
}

async function paste(channel: string, text: string, extra: { thread_ts?: string; ts?: string } = {}) {
  const event = messageEvent({ channel, text, ...extra });
  h.api.postUserMessage({ channel, user: "U0ADMIN01", text, ts: event.ts as string, ...(extra.thread_ts ? { thread_ts: extra.thread_ts } : {}) });
  const res = await h.send(eventCallbackRequest(SECRET, event, {}, h.ws));
  return { res, ts: event.ts as string, event };
}

function click(m: RecordedMessage, actionPrefix: string, user = "U0ADMIN01", pick?: (b: ReturnType<typeof buttons>[number]) => boolean) {
  const b = buttons(m).find((x) => x.action_id.startsWith(actionPrefix) && (!pick || pick(x)));
  if (!b) throw new Error(`no ${actionPrefix} button on message ${m.ts}`);
  return clickButton(h, m, b, user);
}

describe("/exchange", () => {
  it("answers an event ID with a parent in the channel and the numbered steps in its thread", async () => {
    const c = newChannel();
    const res = await slash("11202", c);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const [parent, reply] = await h.api.waitFor(() => {
      const msgs = h.api.botMessages({ channel: c });
      return msgs.length >= 2 ? msgs : undefined;
    });
    expect(parent!.thread_ts).toBeUndefined();
    expect(parent!.ephemeral_to).toBeUndefined();
    const text = visibleText(parent!.blocks);
    expect(text).toContain(Q171435.title);
    expect(text).toContain("Act as part of the operating system");
    expect(text).toMatch(/Event 11202 \(MSExchangePOP3, Failure Audit\)/);
    expect(text).toContain("KB <https://jeffpar.github.io/kbarchive/kb/171/Q171435/|Q171435>");
    expect(text).toMatch(/Confidence: high \(\d+%\)/);

    const probes = buttons(parent!).filter((b) => b.action_id.startsWith("probe"));
    expect(probes.map((b) => decodeProbeValue(b.value))).toEqual(h.lab.hosts.filter((x) => (x.protocol ?? "pop3") === "pop3").map((x) => ({ host: x.name, article: "Q171435" })));
    expect(buttons(parent!).filter((b) => b.action_id.startsWith("feedback")).map((b) => b.text)).toEqual(["Yes", "No"]);

    expect(reply!.thread_ts).toBe(parent!.ts);
    const steps = numberedSteps(reply!);
    expect(steps.map((s) => s.n)).toEqual(Q171435.resolution.map((_, i) => i + 1));
    expect(steps.map((s) => s.text)).toEqual(Q171435.steps!.map((s) => (s.path ? `${s.text} ${s.path}` : s.text)));
    await eventually(() => h.logs.find((l) => l.event === "answer" && l.via === "command" && l.article === "Q171435" && l.channel === c));
  });

  it("empty text and help answer with usage on the ack itself, ephemeral, posting nothing", async () => {
    const c = newChannel();
    for (const text of ["", "  help "]) {
      const res = await slash(text, c);
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as { response_type: string; blocks: unknown[] };
      expect(body.response_type).toBe("ephemeral");
      expect(visibleText(body.blocks)).toContain("/exchange 11202");
    }
    await sleep(100);
    expect(h.api.messages({ channel: c })).toHaveLength(0);
  });

  it("ambiguous text gets a private pick list; choosing posts that answer in the channel and removes the list", async () => {
    const c = newChannel();
    await slash("pop3", c);
    const list = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(list.via).toBe("response_url");
    expect(list.ephemeral_to).toBe("U0ADMIN01");
    const picks = buttons(list).filter((b) => b.action_id.startsWith("pick"));
    expect(picks.length).toBeGreaterThanOrEqual(2);
    expect(visibleText(list.blocks)).toContain("`pop3`");

    const choice = picks.find((b) => b.value === "Q247764")!;
    expect(choice).toBeDefined();
    await click(list, "pick", "U0ADMIN01", (b) => b.value === "Q247764");
    const parent = await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => m.via === "chat.postMessage" && !m.thread_ts));
    expect(visibleText(parent.blocks)).toContain("Chosen from the list");
    await h.api.waitFor(() => h.api.botMessages({ channel: c }).some((m) => m.thread_ts === parent.ts));
    await h.api.waitFor(() => h.api.message(c, list.ts)!.deleted);
  });

  it("no match: an ephemeral answer that quotes the text safely", async () => {
    const c = newChannel();
    await slash("<!channel> zzqx flurb", c);
    const m = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(m.ephemeral_to).toBe("U0ADMIN01");
    const text = visibleText(m.blocks);
    expect(text).toContain("No article in the knowledge base matches");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
  });

  it("not in the channel: the answer goes to the person privately, with how to invite the bot", async () => {
    const c = newChannel();
    h.api.setNotInChannel(c);
    await slash("Q171435", c);
    const m = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(m.via).toBe("response_url");
    expect(m.ephemeral_to).toBe("U0ADMIN01");
    expect(visibleText(m.blocks)).toContain("/invite @exchange-bot");
    expect(visibleText(m.blocks)).toContain(Q171435.cause.slice(0, 40));
    expect(h.api.calls("chat.postMessage").filter((x) => x.params.channel === c).map((x) => x.outcome)).toEqual(["not_in_channel"]);
  });
});

describe("pasted errors", () => {
  it("answers a paste in a thread under it: cause, identifiers, steps, then buttons", async () => {
    const c = newChannel();
    const { res, ts } = await paste(c, PASTE_11202);
    expect(res.status).toBe(200);
    const reply = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(reply.thread_ts).toBe(ts);
    const text = visibleText(reply.blocks);
    expect(text.indexOf("Cause")).toBeLessThan(text.indexOf("Resolution"));
    expect(text).toContain("Event 11202");
    expect(numberedSteps(reply).length).toBeGreaterThan(0);
    const types = (reply.blocks as { type: string }[]).map((b) => b.type);
    expect(types.lastIndexOf("rich_text")).toBeLessThan(types.indexOf("actions"));
    expect(buttons(reply).some((b) => b.action_id.startsWith("probe"))).toBe(true);
  });

  it("a paste inside a thread is answered in that thread, not a new one", async () => {
    const c = newChannel();
    const parentTs = messageTs();
    const { ts } = await paste(c, "-ERR Logon failure: unknown user name or bad password. event 13003 MSExchangeIMC", { thread_ts: parentTs });
    const reply = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(reply.thread_ts).toBe(parentTs);
    expect(reply.thread_ts).not.toBe(ts);
  });

  it("ignores chatter, its own posts, other bots, edits and other subtypes", async () => {
    const c = newChannel();
    const ignored = [
      messageEvent({ channel: c, text: "anyone up for lunch?" }),
      messageEvent({ channel: c, text: "ok thanks, the 11202 thing is fixed now" }),
      messageEvent({ channel: c, text: PASTE_11202, user: h.api.botUserId }),
      messageEvent({ channel: c, text: PASTE_11202, bot_id: "B0OTHER01", subtype: "bot_message" }),
      messageEvent({ channel: c, text: PASTE_11202, subtype: "message_changed" }),
      messageEvent({ channel: c, text: PASTE_11202, subtype: "thread_broadcast" }),
      messageEvent({ channel: c, text: "", subtype: "message_deleted" }),
    ];
    for (const e of ignored) expect((await h.send(eventCallbackRequest(SECRET, e, {}, h.ws))).status).toBe(200);
    // A real paste afterwards: once it is answered, everything sent before it has been handled too.
    const { ts } = await paste(c, PASTE_11202);
    await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => m.thread_ts === ts));
    await sleep(150);
    expect(h.api.botMessages({ channel: c })).toHaveLength(1);
  });

  it("a Slack retry, a duplicate event_id and the same message as app_mention give exactly one reply", async () => {
    const c = newChannel();
    const event = messageEvent({ channel: c, text: PASTE_11202 });
    const eventId = "Ev0DUPLICATE1";
    const first = await h.send(eventCallbackRequest(SECRET, event, { event_id: eventId }, h.ws));
    const retry = await h.send(eventCallbackRequest(SECRET, event, { event_id: eventId }, h.ws, { retryNum: 1, retryReason: "http_timeout" }));
    const dup = await h.send(eventCallbackRequest(SECRET, event, { event_id: eventId }, h.ws));
    const mention = appMentionEvent({ channel: c, text: PASTE_11202, ts: event.ts as string }, h.api.botUserId);
    const men = await h.send(eventCallbackRequest(SECRET, mention, {}, h.ws));
    expect([first.status, retry.status, dup.status, men.status]).toEqual([200, 200, 200, 200]);
    await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    await sleep(200);
    expect(h.api.botMessages({ channel: c })).toHaveLength(1);
  });

  it("the same article is not posted twice in one thread", async () => {
    const c = newChannel();
    const { ts } = await paste(c, PASTE_11202);
    await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    await paste(c, "still getting -ERR A required privilege is not held by the client.", { thread_ts: ts });
    const { ts: other } = await paste(c, PASTE_11202);
    await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => m.thread_ts === other));
    await sleep(150);
    expect(h.api.botMessages({ channel: c, thread_ts: ts })).toHaveLength(1);
    await eventually(() => h.logs.find((l) => l.event === "already_answered" && l.article === "Q171435"));
  });

  it("an app mention with an error is answered in a thread, the bot's own mention left out", async () => {
    const c = newChannel();
    const mention = appMentionEvent({ channel: c, text: "what is this? -ERR A required privilege is not held by the client." }, h.api.botUserId);
    await h.send(eventCallbackRequest(SECRET, mention, {}, h.ws));
    const reply = await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(reply.thread_ts).toBe(mention.ts);
  });
});

describe("buttons", () => {
  it("probe: acks, posts 'probing NAME…' in the thread, then updates it with transcript (password hidden) and diagnosis", async () => {
    const c = newChannel();
    await slash("Q171435", c);
    const parent = await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => !m.thread_ts));
    const before = h.api.lastSeq;
    const res = await click(parent, "probe", "U0ADMIN01", (b) => decodeProbeValue(b.value)?.host === "exchange55-privilege");
    expect(res.status).toBe(200);
    const progress = await h.api.waitFor(() => h.api.changesSince(before).find((ch) => ch.type === "posted" && ch.message.text.startsWith("Probing")));
    expect(progress.message.thread_ts).toBe(parent.ts);
    expect(visibleText(progress.message.blocks)).toContain("exchange55-privilege");
    // Progress updates edit it too; the result is the edit with the transcript.
    const updated = await h.api.waitFor(() => {
      const m = h.api.message(c, progress.message.ts);
      return m && /Transcript/.test(visibleText(m.blocks)) ? m : undefined;
    }, 10_000);
    const text = visibleText(updated.blocks);
    expect(text).toContain("Transcript");
    expect(text).toMatch(/PASS \*{8}/);
    expect(text).toContain("A required privilege is not held by the client");
    expect(text).toMatch(/Matches \*Q171435\*/);
    expect(text).toMatch(/\*Next step\*: /);
    expect(buttons(updated).map((b) => b.value)).toContain("Q171435");
    const password = h.env.PROBE_LAB_PASSWORD!;
    expect(password.length).toBeGreaterThan(8);
    expect(JSON.stringify(h.api.messages())).not.toContain(password);
    expect(h.audits).toContainEqual(expect.objectContaining({ audit: "probe", user: "U0ADMIN01", host: "exchange55-privilege", outcome: "fault" }));
  });

  it("probe: a host that is not in the hosts file is refused, nothing is probed", async () => {
    const c = newChannel();
    await slash("Q171435", c);
    const parent = await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => !m.thread_ts));
    const forgedBlocks = JSON.parse(JSON.stringify(parent.blocks).replace(/\\"h\\":\\"exchange55-privilege\\"/, '\\"h\\":\\"evil.example\\"')) as unknown[];
    const audits = h.audits.length;
    await click({ ...parent, blocks: forgedBlocks }, "probe", "U0ADMIN01", (b) => b.value.includes("evil.example"));
    // Privately, for the person who clicked, in the thread the probe would have run in.
    const refusal = await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => m.ephemeral_to === "U0ADMIN01"));
    expect(refusal.via).toBe("chat.postEphemeral");
    expect(refusal.thread_ts).toBe(parent.ts);
    expect(visibleText(refusal.blocks)).toContain("not in the probe hosts file");
    expect(h.audits.length).toBe(audits);
    await eventually(() => h.logs.find((l) => l.event === "probe_refused" && l.reason === "unknown_host"));
  });

  it("feedback: the vote is recorded as a structured line and the message shows the count under buttons that stay", async () => {
    const c = newChannel();
    await slash("13003", c);
    const parent = await h.api.waitFor(() => h.api.botMessages({ channel: c }).find((m) => !m.thread_ts));
    await click(parent, "feedback_yes", "U0HELPED1");
    const updated = await h.api.waitFor(() => {
      const m = h.api.message(c, parent.ts);
      return m && m.edits > 0 ? m : undefined;
    });
    expect(h.logs).toContainEqual(expect.objectContaining({ event: "feedback", helpful: true, article: "Q247764", user: "U0HELPED1", channel: c }));
    expect(buttons(updated).filter((b) => b.action_id.startsWith("feedback")).map((b) => b.text)).toEqual(["Yes", "No"]);
    expect(visibleText(updated.blocks)).toContain("1 found this helpful · 0 did not");
    // The rest of the answer is still there.
    expect(visibleText(updated.blocks)).toContain("Cause");
    expect(buttons(updated).some((b) => b.action_id.startsWith("probe"))).toBe(true);
  });
});
