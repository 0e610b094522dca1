// Prints each mutated file's score and every surviving mutant from Stryker's JSON reports;
// exits 1 when a file scores under its suite's bar (`goal`, default 80%).
import { readFileSync } from 'node:fs';
import { SUITES } from './suites.mjs';

const DEFAULT_GOAL = 80;
const suites = process.argv.slice(2);
let failed = false;
const survivors = [];
for (const name of suites) {
  const pkg = SUITES[name].dir;
  const goal = SUITES[name].goal ?? DEFAULT_GOAL;
  const report = JSON.parse(
    readFileSync(`${pkg}/reports/mutation/${name}.json`, 'utf8'),
  );
  for (const [file, { mutants }] of Object.entries(report.files).sort()) {
    const count = status => mutants.filter(m => m.status === status).length;
    const detected = count('Killed') + count('Timeout');
    const undetected = count('Survived') + count('NoCoverage');
    const score = (100 * detected) / (detected + undetected || 1);
    if (score < goal) {
      failed = true;
      console.log(`under ${goal}%:`);
    }
    console.log(
      `${score.toFixed(2).padStart(6)}%  ${`${pkg}/${file}`.padEnd(
        58,
      )} killed ${count('Killed')}, timeout ${count(
        'Timeout',
      )}, survived ${count('Survived')}, no coverage ${count(
        'NoCoverage',
      )}, errors ${count('RuntimeError') + count('CompileError')}`,
    );
    for (const m of mutants)
      if (m.status === 'Survived' || m.status === 'NoCoverage')
        survivors.push(
          `${pkg}/${file}:${m.location.start.line}:${m.location.start.column} ${
            m.mutatorName
          } (${m.status}): ${m.replacement ?? ''}`.replace(/\s+/g, ' '),
        );
  }
}
console.log(`\nSurvivors (${survivors.length}):`);
for (const s of survivors) console.log(`  ${s}`);
if (failed) {
  console.log(`\nA file scores under its suite's bar.`);
  process.exit(1);
}
