/**
 * `npx tsx scripts/tracker-sim.ts [--runs 300] [--seed 1] [--looks D]`: how often the tracker gets simulated doorways wrong
 * (scripts/lib/tracker-sim.ts) at 2.5, 4, 7.5 and 10 processed frames a second: a person looking away, the
 * next person in a queue stepping into a counted person's place, a flickering label. Prints, per case and
 * frame rate, the runs that went wrong. Seeded: the same tracker gives the same table, so a change to the
 * tracker can be compared case by case (run it before and after). With `--looks D` faces carry appearances,
 * two people's looks D apart (cosine distance): what the app adds where people look different.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, wrongRuns } from './lib/tracker-sim.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    looks: { type: 'string' },
  },
});
const runs = Number(args.runs);
const seed = Number(args.seed);
const lookApart = args.looks === undefined ? undefined : Number(args.looks);
if (
  !Number.isInteger(runs) ||
  runs < 1 ||
  !Number.isInteger(seed) ||
  (lookApart !== undefined && !(lookApart > 0 && lookApart <= 1))
) {
  console.error(
    'usage: npx tsx scripts/tracker-sim.ts [--runs N ≥ 1] [--seed INTEGER] [--looks D in (0, 1]]',
  );
  process.exit(2);
}
const options = lookApart === undefined ? undefined : { lookApart };
const RATES = [2.5, 4, 7.5, 10];
console.log(
  `runs that went wrong, of ${runs} per cell (frames/s: ${RATES.join(' / ')}); ` +
    (options === undefined ? 'labels only' : `faces with looks, two people ${lookApart} apart`),
);
for (const scenario of SCENARIOS) {
  const cells = RATES.map((rate) => String(wrongRuns(scenario, rate, runs, seed, options)).padStart(4));
  console.log(`${cells.join(' ')}  ${scenario.name}: ${scenario.wrong}`);
}
