/** One problem in one knowledge file, precise enough to fix without reading code. */
export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
  /** 1-based line in the file itself (the opening '---' is line 1), when the problem has a place. */
  line?: number;
  /** 1-based column on that line. */
  column?: number;
}

export class KnowledgeError extends Error {
  readonly problems: KnowledgeProblem[];
  constructor(problems: KnowledgeProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "KnowledgeError";
    this.problems = problems;
  }
}

/** "file:line:column: field: message", the form editors and terminals turn into a link to the spot. */
export function formatProblem(p: KnowledgeProblem): string {
  const at = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ""}` : "";
  return `${p.file}${at}: ${p.field}: ${p.message}`;
}
