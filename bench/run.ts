// `npm run bench`: runs every benchmark section that exists, one after another, in one process.
// `npm run bench -- slack probe` runs only the sections named.
const sections = ["match", "slack", "probe", "cost", "reliability", "state", "triage"] as const;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(sections as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench section ${unknown.join(", ")}; sections: ${sections.join(", ")}`);
  process.exit(2);
}

for (const name of sections.filter((s) => wanted.length === 0 || wanted.includes(s))) {
  let mod: { run?: () => Promise<void> };
  try {
    mod = (await import(`./${name}.js`)) as { run?: () => Promise<void> };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      console.log(`\n## ${name}: not built yet (bench/${name}.ts missing)`);
      continue;
    }
    throw err;
  }
  if (typeof mod.run !== "function") continue;
  console.log(`\n## ${name}`);
  await mod.run();
}
process.exit(0);
