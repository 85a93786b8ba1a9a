// Oversized or length-less POSTs are refused before Bolt reads them; normal signed traffic is untouched.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { MAX_BODY_BYTES } from "../../src/slack/body-limit.js";
import { SECRET, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

function post(headers: Record<string, string>, body: Buffer | undefined, chunked = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(h.url, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    if (chunked) {
      req.write("a=b");
      req.end();
    } else req.end(body);
  });
}

describe("request size", () => {
  it("refuses a body over the limit with 413, without reading it, and posts nothing", async () => {
    const before = h.api.botMessages().length;
    const status = await post({ "content-type": "application/x-www-form-urlencoded", "content-length": String(MAX_BODY_BYTES + 1) }, Buffer.alloc(0));
    expect(status).toBe(413);
    expect(h.api.botMessages().length).toBe(before);
  });

  it("refuses a chunked body without Content-Length with 411", async () => {
    expect(await post({ "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" }, undefined, true)).toBe(411);
  });

  it("still takes a signed slash command", async () => {
    const r = await h.send(slashCommandRequest(SECRET, { text: "help", channel_id: "C0LIMIT01" }, h.ws));
    expect(r.status).toBe(200);
  });
});
