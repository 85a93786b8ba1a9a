// Runs the plain Fuse.js baseline in a worker so a search that takes minutes can be cut off and reported as such.
import { parentPort, workerData } from "node:worker_threads";
import Fuse from "fuse.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import { syntheticArticles } from "./synthetic-kb.js";
import { timeSync } from "../testkit/stats.js";

const { size, text, iterations, budgetMs } = workerData as { size: number; text: string; iterations: number; budgetMs: number };
const real = loadKnowledge();
const articles = size > real.length ? syntheticArticles(size, real) : real;
const fuse = new Fuse(articles, { keys: ["title", "phrases", "keywords", "symptoms", "events.id"], ignoreLocation: true, includeScore: true });
const search = () => fuse.search(text, { limit: 5 });
const top = search()[0]?.item.id ?? "-";
parentPort!.postMessage({ timing: timeSync(search, iterations, budgetMs, 2), top });
