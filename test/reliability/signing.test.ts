// Slack's request signing under attack: forged, missing, malformed and stale signatures, bodies changed after
// signing, smuggled payloads and replays. Everything goes through the real HTTP receiver; nothing may be posted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockActionRequest, eventCallbackRequest, messageEvent, signRequest, slackSignature, slashCommandRequest, type SignedRequest } from "../../src/local/signing.js";
import { SECRET, sleep, startHarness, type Harness } from "../slack/harness.js";

const PASTE = "Event ID: 11202 Source: MSExchangePOP3 HrLookupCredentials() call failed with error: A required privilege is not held by the client.";
const now = (): number => Math.floor(Date.now() / 1000);

let h: Harness;
let chan = 0;
const newChannel = (): string => `CSIGN${String(++chan).padStart(4, "0")}`;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Three kinds of signed request for one channel: a paste event, /exchange and a feedback click. */
function genuine(channel: string, ts = now()): Record<string, SignedRequest> {
  return {
    event: eventCallbackRequest(SECRET, messageEvent({ channel, text: PASTE }), {}, h.ws, { timestamp: ts }),
    command: slashCommandRequest(SECRET, { text: "11202", channel_id: channel, response_url: h.api.newResponseUrl({ channel, user: "U0ADMIN01" }) }, h.ws, { timestamp: ts }),
    click: blockActionRequest(SECRET, { action_id: "feedback_yes", value: "Q171435", channel_id: channel, message: { ts: "1700000000.000100", blocks: [] } }, h.ws, { timestamp: ts }),
  };
}

const withHeaders = (r: SignedRequest, change: (h: Record<string, string>) => void): SignedRequest => {
  const headers = { ...r.headers };
  change(headers);
  return { body: r.body, headers };
};

/** Sends each request, expects 401 for all, then that nothing at all reached the channel or the bot's log. */
async function expectAllRejected(channel: string, reqs: Record<string, SignedRequest>): Promise<void> {
  const logsBefore = h.logs.length;
  const statuses: Record<string, number> = {};
  for (const [name, req] of Object.entries(reqs)) statuses[name] = (await h.send(req)).status;
  expect(statuses).toEqual(Object.fromEntries(Object.keys(reqs).map((k) => [k, 401])));
  await sleep(250);
  expect(h.api.messages({ channel })).toEqual([]);
  expect(h.api.calls().filter((c) => JSON.stringify(c.params).includes(channel))).toEqual([]);
  expect(h.logs.slice(logsBefore).filter((l) => l.channel === channel)).toEqual([]);
}

describe("request signing", () => {
  it("a genuine request of each kind is accepted (so the rejections below are about the signature)", async () => {
    const c = newChannel();
    for (const req of Object.values(genuine(c))) expect((await h.send(req)).status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: c }).length >= 3);
  });

  it("forged: signed with another secret, or a signature copied from another request", async () => {
    const c = newChannel();
    const g = genuine(c);
    const other = genuine(newChannel());
    const reqs: Record<string, SignedRequest> = {};
    for (const [kind, req] of Object.entries(g)) {
      const wrong = signRequest("0".repeat(32), req.body, req.headers["content-type"]!, { timestamp: Number(req.headers["x-slack-request-timestamp"]) });
      reqs[`${kind}: other secret`] = wrong;
      reqs[`${kind}: empty secret`] = withHeaders(req, (hd) => (hd["x-slack-signature"] = slackSignature("", Number(hd["x-slack-request-timestamp"]), req.body)));
      reqs[`${kind}: signature of another body`] = withHeaders(req, (hd) => (hd["x-slack-signature"] = other[kind]!.headers["x-slack-signature"]!));
    }
    await expectAllRejected(c, reqs);
  });

  it("missing: no signature, no timestamp, neither", async () => {
    const c = newChannel();
    const reqs: Record<string, SignedRequest> = {};
    for (const [kind, req] of Object.entries(genuine(c))) {
      reqs[`${kind}: no signature`] = withHeaders(req, (hd) => delete hd["x-slack-signature"]);
      reqs[`${kind}: no timestamp`] = withHeaders(req, (hd) => delete hd["x-slack-request-timestamp"]);
      reqs[`${kind}: neither`] = withHeaders(req, (hd) => {
        delete hd["x-slack-signature"];
        delete hd["x-slack-request-timestamp"];
      });
    }
    await expectAllRejected(c, reqs);
  });

  it("malformed: wrong version, empty, truncated, upper-cased, non-hex, doubled signatures; junk timestamps", async () => {
    const c = newChannel();
    const reqs: Record<string, SignedRequest> = {};
    for (const [kind, req] of Object.entries(genuine(c))) {
      const sig = req.headers["x-slack-signature"]!;
      const hex = sig.slice(3);
      const variants: Record<string, (hd: Record<string, string>) => void> = {
        "version v1": (hd) => (hd["x-slack-signature"] = `v1=${hex}`),
        "no version": (hd) => (hd["x-slack-signature"] = hex),
        "empty": (hd) => (hd["x-slack-signature"] = ""),
        "v0= only": (hd) => (hd["x-slack-signature"] = "v0="),
        "truncated": (hd) => (hd["x-slack-signature"] = sig.slice(0, -2)),
        "extra byte": (hd) => (hd["x-slack-signature"] = `${sig}0`),
        "upper-cased hex": (hd) => (hd["x-slack-signature"] = `v0=${hex.toUpperCase()}`),
        "non-hex": (hd) => (hd["x-slack-signature"] = `v0=${"zz".repeat(32)}`),
        "two signatures": (hd) => (hd["x-slack-signature"] = `v0=${"0".repeat(64)},${sig}`),
        "timestamp junk": (hd) => (hd["x-slack-request-timestamp"] = "yesterday"),
        "timestamp empty": (hd) => (hd["x-slack-request-timestamp"] = ""),
        "timestamp shifted by one": (hd) => (hd["x-slack-request-timestamp"] = String(Number(hd["x-slack-request-timestamp"]) + 1)),
      };
      if (!/[a-f]/.test(hex)) delete variants["upper-cased hex"];
      for (const [name, change] of Object.entries(variants)) reqs[`${kind}: ${name}`] = withHeaders(req, change);
    }
    await expectAllRejected(c, reqs);
  });

  it("stale: signed correctly but more than 5 minutes old, including a captured request re-sent later", async () => {
    const c = newChannel();
    const reqs: Record<string, SignedRequest> = {};
    for (const age of [301 + 5, 6 * 60, 3600, 86_400 * 365]) {
      for (const [kind, req] of Object.entries(genuine(c, now() - age))) reqs[`${kind}: ${age} s old`] = req;
    }
    // Epoch zero: the oldest timestamp there is.
    for (const [kind, req] of Object.entries(genuine(c, 0))) reqs[`${kind}: epoch`] = req;
    await expectAllRejected(c, reqs);

    // The boundary is where Slack puts it: a request 4 minutes old is still taken.
    const fresh = newChannel();
    expect((await h.send(genuine(fresh, now() - 240).event!)).status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: fresh })[0]);
  });

  it("bodies changed after signing: a field, a byte, whitespace, an appended field, another content type", async () => {
    const c = newChannel();
    const g = genuine(c);
    const change = (r: SignedRequest, body: string, contentType?: string): SignedRequest => ({ body, headers: { ...r.headers, ...(contentType ? { "content-type": contentType } : {}) } });
    const reqs: Record<string, SignedRequest> = {
      "event: text changed": change(g.event!, g.event!.body.replace("11202", "13003")),
      "event: channel changed": change(g.event!, g.event!.body.replaceAll(c, "CSIGNOTHER")),
      "event: trailing newline": change(g.event!, `${g.event!.body}\n`),
      "event: pretty-printed": change(g.event!, JSON.stringify(JSON.parse(g.event!.body), null, 1)),
      "event: as form": change(g.event!, `payload=${encodeURIComponent(g.event!.body)}`, "application/x-www-form-urlencoded"),
      "command: text changed": change(g.command!, g.command!.body.replace("text=11202", "text=13003")),
      "command: field appended": change(g.command!, `${g.command!.body}&text=13003`),
      "command: byte flipped": change(g.command!, g.command!.body.replace("command=%2Fexchange", "command=%2Fexchangf")),
      "click: value changed": change(g.click!, g.click!.body.replace("Q171435", "Q247764")),
      "click: truncated": change(g.click!, g.click!.body.slice(0, -10)),
    };
    for (const [name, r] of Object.entries(reqs)) expect(r.body, name).not.toBe(Object.values(g).find((x) => x.headers === r.headers)?.body);
    await expectAllRejected(c, reqs);
  });

  it("an unsigned ssl_check with a command smuggled in is answered without running it", async () => {
    const c = newChannel();
    const body = new URLSearchParams({ ssl_check: "1", command: "/exchange", text: "11202", channel_id: c, user_id: "U0ADMIN01", response_url: h.api.newResponseUrl({ channel: c, user: "U0ADMIN01" }) }).toString();
    const res = await h.send({ body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
    await sleep(250);
    expect(h.api.messages({ channel: c })).toEqual([]);
  });

  it("a 20 MB unsigned body is refused by size before it is read, and the bot answers the next genuine request", async () => {
    const c = newChannel();
    const big = JSON.stringify({ type: "event_callback", event: messageEvent({ channel: c, text: `${PASTE} ${"x".repeat(20 << 20)}` }) });
    const res = await h.send({ body: big, headers: { "content-type": "application/json", "x-slack-request-timestamp": String(now()), "x-slack-signature": `v0=${"0".repeat(64)}` } });
    expect(res.status).toBe(413);
    expect((await h.send(genuine(c).event!)).status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: c })[0]);
    expect(h.api.botMessages({ channel: c })).toHaveLength(1);
  });

  it("replays inside the 5 minutes: the same signed event, command or click a second time posts nothing more", async () => {
    const c = newChannel();
    const g = genuine(c);
    for (const req of Object.values(g)) expect((await h.send(req)).status).toBe(200);
    // event: the thread answer; command: parent + thread; click: the feedback log line.
    await h.api.waitFor(() => h.api.botMessages({ channel: c }).length >= 3);
    await sleep(300);
    const posted = h.api.messages({ channel: c, includeDeleted: true }).length;
    const calls = h.api.calls().length;
    const feedback = h.logs.filter((l) => l.event === "feedback").length;
    for (const req of Object.values(g)) await h.send(req);
    await sleep(400);
    expect(h.api.messages({ channel: c, includeDeleted: true })).toHaveLength(posted);
    expect(h.api.calls().slice(calls)).toEqual([]);
    expect(h.logs.filter((l) => l.event === "feedback")).toHaveLength(feedback);
  });
});
