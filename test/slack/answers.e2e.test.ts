// Answers people can act on, end to end through the real receiver: who asked, Details, the shortcut and its
// share button, the password warning, notices placed in their thread, the pick list for vague queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventCallbackRequest, messageEvent, slashCommandRequest } from "../../src/local/signing.js";
import { messageShortcutRequest } from "../../src/local/shortcut-request.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { buttons, clickButton, eventually, SECRET, startHarness, visibleText, type Harness } from "./harness.js";

const USER = "U0ANA0001";
const PASTE_11202 =
  "Event Type: Failure Audit\nEvent Source: MSExchangePOP3\nEvent ID: 11202\nDescription: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";

let h: Harness;
let chan = 0;
const newChannel = (): string => `CANS${String(++chan).padStart(5, "0")}`;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function slash(text: string, channel: string, user = USER) {
  return h.send(slashCommandRequest(SECRET, { text, channel_id: channel, user_id: user, response_url: h.api.newResponseUrl({ channel, user }) }, h.ws));
}

async function paste(channel: string, text: string, thread_ts?: string) {
  const event = messageEvent({ channel, text, user: USER, ...(thread_ts ? { thread_ts } : {}) });
  h.api.postUserMessage({ channel, user: USER, text, ts: event.ts as string, ...(thread_ts ? { thread_ts } : {}) });
  expect((await h.send(eventCallbackRequest(SECRET, event, {}, h.ws))).status).toBe(200);
  return event.ts as string;
}

/** Someone else's message in `channel` (a reply in `parentTs`'s thread when given, after a parent saying `parentText`), then USER's "Explain this Exchange error" on it. */
async function shortcutOn(channel: string, text: string, parent?: { ts: string; text: string }) {
  if (parent) h.api.postUserMessage({ channel, user: "U0OTHER01", text: parent.text, ts: parent.ts });
  const msg = h.api.postUserMessage({ channel, user: "U0OTHER01", text, ...(parent ? { thread_ts: parent.ts } : {}) });
  const message = { ts: msg.ts, text: msg.text, user: "U0OTHER01", ...(parent ? { thread_ts: parent.ts } : {}) };
  return h.send(messageShortcutRequest(SECRET, { callback_id: "explain_error", user_id: USER, channel_id: channel, message, response_url: h.api.newResponseUrl({ channel, user: USER }) }, h.ws));
}

function click(m: RecordedMessage, prefix: string, user = USER) {
  const b = buttons(m).find((x) => x.action_id.startsWith(prefix));
  if (!b) throw new Error(`no ${prefix} button on ${m.ts}`);
  return clickButton(h, m, b, user);
}

const waitMessages = (filter: (m: RecordedMessage) => boolean, n = 1) =>
  h.api.waitFor(() => {
    const found = h.api.messages().filter(filter);
    return found.length >= n ? found : undefined;
  }, 8000);

describe("the /exchange answer in the channel", () => {
  it("says who asked and what, above the answer, and offers Details", async () => {
    const c = newChannel();
    await slash("11202", c);
    const [parent] = await waitMessages((m) => m.channel === c && m.via === "chat.postMessage" && m.thread_ts === undefined);
    expect((parent!.blocks[0] as { elements: { text: string }[] }).elements[0]!.text).toBe(`<@${USER}>: \`/exchange 11202\``);
    expect(buttons(parent!).map((b) => b.text)).toContain("Details");
    expect(visibleText(parent!.blocks)).toMatch(/See also: \*Q189732\* XADM/);
  });

  it("a vague query that fits two different faults gets a private pick list, not one answer", async () => {
    const c = newChannel();
    await slash("pop3 logon fails", c);
    const [pick] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(buttons(pick!).map((b) => b.value)).toEqual(expect.arrayContaining(["Q171435", "Q247764"]));
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toEqual([]);
  });
});

describe("/exchange with an identifier one typo off", () => {
  it("says privately 'did you mean 11202?' (and Q171435 for Q17143), with a Show button that answers", async () => {
    const c = newChannel();
    await slash("11203", c);
    const [none] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(none!.text).toMatch(/Did you mean 11202\?/);
    expect(visibleText(none!.blocks)).toContain("Did you mean *11202* (Q171435: XFOR: POP3 logon fails and event 11202 is logged)?");
    await slash("Q17143", c);
    const [, kb] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER, 2);
    expect(visibleText(kb!.blocks)).toContain("Did you mean *Q171435*?");
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toEqual([]);
    expect(h.logs.find((l) => l.event === "no_match" && l.channel === c)).toMatchObject({ didYouMean: ["11202"] });

    const show = buttons(none!).find((b) => b.value === "Q171435" && b.action_id.startsWith("pick"));
    expect(show).toBeDefined();
    expect((await clickButton(h, none!, show!, USER)).status).toBe(200);
    await waitMessages((m) => m.channel === c && m.via === "chat.postMessage" && m.thread_ts === undefined && /Q171435/.test(visibleText(m.blocks)));
  });

  it("never echoes the query so that it pings the channel or mentions anyone", async () => {
    const c = newChannel();
    await slash("<!channel> @here <@U0BOSS01> 11203", c);
    const [none] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(visibleText(none!.blocks)).toContain("Did you mean *11202*");
    const all = JSON.stringify({ text: none!.text, blocks: none!.blocks });
    expect(all).not.toMatch(/<!channel>|<@U0BOSS01>|(?<!\u200b)@here/);
  });
});

describe("Details", () => {
  it("opens a modal with the article's long form for the person who clicked", async () => {
    const c = newChannel();
    await slash("Q171435", c);
    const [parent] = await waitMessages((m) => m.channel === c && m.via === "chat.postMessage" && m.thread_ts === undefined);
    const before = h.api.views().length;
    expect((await click(parent!, "details")).status).toBe(200);
    const view = await eventually(() => h.api.views()[before]);
    expect(await eventually(() => h.logs.find((l) => l.event === "details"))).toMatchObject({ via: "modal", article: "Q171435", user: USER });
    expect(view.view.type).toBe("modal");
    const text = visibleText(view.view.blocks);
    expect(text).toContain("Confirm it with telnet");
    expect(text).toContain("`telnet EXCHANGE-SERVER 110`");
    // Nothing was posted in the conversation for it.
    expect(h.api.botMessages({ channel: c }).filter((m) => m.ts > parent!.ts && m.thread_ts === undefined)).toEqual([]);
  });
});

describe("the Explain this Exchange error shortcut", () => {
  it("answers only the person, in the message's thread, and Share in thread posts it there for everyone", async () => {
    const c = newChannel();
    const parentTs = "1700000000.000100";
    const res = await shortcutOn(c, PASTE_11202, { ts: parentTs, text: "who knows this?" });
    expect(res.status).toBe(200);
    const [priv] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(priv!.via).toBe("chat.postEphemeral");
    expect(priv!.thread_ts).toBe(parentTs);
    expect(visibleText(priv!.blocks)).toContain("Only you can see this answer");
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toEqual([]);

    expect((await click(priv!, "share")).status).toBe(200);
    const [shared] = await waitMessages((m) => m.channel === c && m.thread_ts === parentTs && m.via === "chat.postMessage");
    expect(visibleText(shared!.blocks)).toContain("Shared from a private answer");
    expect(buttons(shared!).some((b) => b.action_id.startsWith("probe"))).toBe(true);

    // Shared once: a second share of the same answer is a private notice in that thread.
    expect((await click(priv!, "share")).status).toBe(200);
    const notices = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER && /already answered/.test(m.text), 1);
    expect(notices[0]!.thread_ts).toBe(parentTs);
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toHaveLength(1);
  });
});

describe("the shortcut on a vague message", () => {
  it("gives a private pick list in the message's thread, and the answer picked from it stays private", async () => {
    const c = newChannel();
    const parentTs = "1700000000.000200";
    const res = await shortcutOn(c, "pop3 logon fails", { ts: parentTs, text: "help" });
    expect(res.status).toBe(200);
    const [pick] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(pick!.via).toBe("chat.postEphemeral");
    expect(pick!.thread_ts).toBe(parentTs);
    expect(visibleText(pick!.blocks)).toContain("only you see this");
    const shows = buttons(pick!);
    expect(shows.length).toBeGreaterThanOrEqual(2);

    expect((await click(pick!, "pick_private")).status).toBe(200);
    const [answer] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER && /Only you can see this answer/.test(visibleText(m.blocks)));
    expect(answer!.via).toBe("chat.postEphemeral");
    expect(answer!.thread_ts).toBe(parentTs);
    // Nothing public: no answer in the channel, none in the thread; the pick list is gone.
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toEqual([]);
    await eventually(() => h.api.messages({ channel: c, includeDeleted: true }).find((m) => m.ts === pick!.ts)?.deleted);
    expect(h.logs.find((l) => l.event === "pick" && l.channel === c)).toMatchObject({ via: "shortcut", user: USER });

    // Its Share button still shares it in that thread, for everyone.
    expect((await click(answer!, "share")).status).toBe(200);
    await waitMessages((m) => m.channel === c && m.thread_ts === parentTs && m.via === "chat.postMessage");
  });
});

describe("the shortcut on a message with an identifier one typo off", () => {
  it("says privately 'did you mean 11202?'", async () => {
    const c = newChannel();
    await shortcutOn(c, "got event 11203 again on the POP3 box");
    const [none] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(visibleText(none!.blocks)).toContain("Did you mean *11202*");
    expect(h.api.botMessages({ channel: c }).filter((m) => !m.ephemeral_to)).toEqual([]);
  });
});

describe("a pasted password", () => {
  it("the poster alone is told, in the thread they pasted in, to delete it and change the password; the secret is never repeated", async () => {
    const c = newChannel();
    const top = await paste(c, "anyone seen this?");
    const SECRET_PW = "Tr0ub4dor&3";
    await paste(c, `telnet mail 110\n+OK ready\nUSER probe\n+OK\nPASS ${SECRET_PW}\n-ERR A required privilege is not held by the client`, top);
    const [warn] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(warn!.thread_ts).toBe(top);
    expect(warn!.text).toMatch(/delete it and change the password/);
    expect(visibleText(warn!.blocks)).toMatch(/telnet `PASS` line/);
    // The answer to the error still comes, and nothing the bot posted quotes the password.
    await waitMessages((m) => m.channel === c && m.thread_ts === top && m.via === "chat.postMessage");
    const everything = JSON.stringify(h.api.botMessages({ channel: c }));
    expect(everything).not.toContain("Tr0ub4dor");
    expect(h.logs.find((l) => l.event === "credential_warning")).toMatchObject({ kinds: ["pass-line"], user: USER });
    expect(JSON.stringify(h.logs)).not.toContain("Tr0ub4dor");
  });

  it("a transcript with the password masked is not a warning", async () => {
    const c = newChannel();
    await paste(c, `USER probe\n+OK\nPASS ********\n-ERR A required privilege is not held by the client`);
    await waitMessages((m) => m.channel === c && m.via === "chat.postMessage");
    expect(h.api.botMessages({ channel: c }).filter((m) => m.ephemeral_to)).toEqual([]);
  });
});

describe("notices go where the click was", () => {
  it("'already answered' from a button in a thread is ephemeral and carries that thread", async () => {
    const c = newChannel();
    const top = await paste(c, PASTE_11202);
    const [answer] = await waitMessages((m) => m.channel === c && m.thread_ts === top && m.via === "chat.postMessage");
    // The Details fallback and "show" both notify in place; "show" of an article already in the thread:
    const showable = { ...answer!, blocks: [{ type: "actions", block_id: "diagnosis", elements: [{ type: "button", text: { type: "plain_text", text: "Show Q171435" }, action_id: "show:0", value: "Q171435" }] }] };
    expect((await click(showable, "show")).status).toBe(200);
    const [notice] = await waitMessages((m) => m.channel === c && m.ephemeral_to === USER);
    expect(notice!.via).toBe("chat.postEphemeral");
    expect(notice!.thread_ts).toBe(top);
    expect(notice!.text).toMatch(/already answered in this thread/);
  });
});
