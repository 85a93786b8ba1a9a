// `npm run bench`: runs every benchmark section that exists, one after another, in one process.
const sections = ["match", "slack", "probe", "reliability", "state"] as const;

for (const name of sections) {
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
