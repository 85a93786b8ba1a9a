/** One problem in one knowledge file, precise enough to fix without reading code. */
export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
}

export class KnowledgeError extends Error {
  readonly problems: KnowledgeProblem[];
  constructor(problems: KnowledgeProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "KnowledgeError";
    this.problems = problems;
  }
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}
