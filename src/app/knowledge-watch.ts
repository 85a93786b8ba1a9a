// Local mode: the knowledge folder is read again when a file in it changes, so an author sees an edit
// without restarting. A folder that does not lint leaves the last good articles answering, and its
// problems are shown on the page until a save fixes them.
import { watch, type FSWatcher } from "node:fs";
import { formatProblem } from "../knowledge/errors.js";
import { lintKnowledge } from "../knowledge/load.js";
import { createKnowledge } from "../services/knowledge.js";
import type { LiveKnowledge } from "../services/live-knowledge.js";
import type { LogSink } from "../slack/services.js";

export interface KnowledgeState {
  /** Goes up by one on every reload, good or bad. */
  version: number;
  /** Problems `kb lint` would print for the folder now; empty when the articles in use are the folder's. */
  problems: string[];
}

export interface KnowledgeWatch {
  state(): KnowledgeState;
  /** Reads the folder now (what a change triggers, after a short pause for the editor to finish writing). */
  reload(): KnowledgeState;
  close(): void;
}

export interface WatchOptions {
  /** What was wrong with the folder when it was first read. */
  initialProblems?: string[];
  debounceMs?: number;
  /** A knowledge_reload line per reload. */
  log?: LogSink;
}

export function watchKnowledge(dir: string, live: LiveKnowledge, opts: WatchOptions = {}): KnowledgeWatch {
  let state: KnowledgeState = { version: 0, problems: opts.initialProblems ?? [] };
  let timer: NodeJS.Timeout | undefined;
  const reload = (): KnowledgeState => {
    const { articles, problems } = lintKnowledge(dir);
    if (!problems.length) live.replace(createKnowledge(articles));
    state = { version: state.version + 1, problems: problems.map(formatProblem) };
    // The log names the files at fault, so an operator without the page sees which save broke the folder.
    const files = [...new Set(problems.map((p) => p.file))];
    opts.log?.({ event: "knowledge_reload", articles: live.articles.length, problems: state.problems.length, ...(files.length ? { files } : {}) });
    return state;
  };
  let watcher: FSWatcher | undefined;
  try {
    // Editors save by writing, renaming or replacing files: any event in the folder means "read it again".
    watcher = watch(dir, { persistent: false }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(reload, opts.debounceMs ?? 150);
    });
    watcher.on("error", (err) => {
      state = { version: state.version + 1, problems: [`${dir}: (folder): no longer watched (${err.message}); restart to pick up changes`] };
    });
  } catch (err) {
    state = { version: 1, problems: [`${dir}: (folder): cannot watch for changes (${(err as NodeJS.ErrnoException).code ?? "error"}); restart to pick up changes`] };
  }
  return {
    state: () => state,
    reload,
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
