// A Knowledge whose articles can be replaced while the bot runs (local mode's reload): every reader goes
// through it, so the Slack handlers and the probe service see the new articles at the same moment.
import type { Article } from "../knowledge/schema.js";
import type { Matcher } from "../match/types.js";
import type { Knowledge } from "./knowledge.js";

export class LiveKnowledge implements Knowledge {
  constructor(private current: Knowledge) {}

  get articles(): readonly Article[] {
    return this.current.articles;
  }

  get matcher(): Matcher {
    return this.current.matcher;
  }

  byId(id: string): Article | undefined {
    return this.current.byId(id);
  }

  replace(next: Knowledge): void {
    this.current = next;
  }
}
