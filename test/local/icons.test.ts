// Issue 21 point 6: the local page draws the emoji the bot writes as inline SVG, so a machine without an emoji
// font shows them rather than empty boxes. Every :code: the renderers and the Slack handlers write has an icon,
// and no emoji code point reaches the page's markup.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { ICONS } from "../../src/local/page/icons.js";
import { emoji, mrkdwn } from "../../src/local/page/blocks.js";

// Code points an emoji font draws: pictographs, dingbats, symbols, variation selector 16.
const EMOJI_POINT = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2300}-\u{23FF}\u{2B00}-\u{2BFF}\u{FE0F}]/u;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("emoji on the local page", () => {
  it("every emoji code the bot writes has an icon", () => {
    const used = new Set<string>();
    for (const f of [...sources(join(PROJECT_ROOT, "src", "render")), ...sources(join(PROJECT_ROOT, "src", "slack"))]) {
      // Only codes inside string literals; `:${x}:` and URLs are not emoji.
      for (const m of readFileSync(f, "utf8").matchAll(/["'`][^"'`\n]*?(?<![\w/]):([a-z][a-z0-9_]{1,40}):(?![\w/])/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(2);
    expect([...used].filter((name) => !(name in ICONS))).toEqual([]);
  });

  it("the page's own scripts and markup write no emoji code point (escaped or not)", () => {
    const dir = join(PROJECT_ROOT, "src", "local", "page");
    for (const f of readdirSync(dir).filter((n) => /\.(js|html|css)$/.test(n))) {
      const text = readFileSync(join(dir, f), "utf8").replace(/\\u\{?([0-9a-fA-F]{4,5})\}?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
      // Surrogate pairs written as two \u escapes come back as one code point.
      expect(EMOJI_POINT.test(text), f).toBe(false);
    }
  });

  it("icons are SVG, never an emoji code point; unknown codes stay as their :code:", () => {
    for (const name of Object.keys(ICONS)) {
      const html = emoji(name);
      expect(html).toContain("<svg");
      expect(html).toContain(`aria-label=":${name}:"`);
      expect(EMOJI_POINT.test(html), name).toBe(false);
    }
    expect(emoji("no_such_emoji")).toBe(":no_such_emoji:");
    const text = mrkdwn(":white_check_mark: healthy :warning: expires in 2 days :x: failed :hourglass_flowing_sand:");
    expect(EMOJI_POINT.test(text)).toBe(false);
    expect(text.match(/<svg/g)).toHaveLength(4);
  });
});
