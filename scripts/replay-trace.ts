/**
 * `npx tsx scripts/replay-trace.ts FILE`: replays the frames a failed browser scene printed (copied into FILE,
 * see scripts/lib/tracker-trace.ts) through the app's tracker and prints, frame by frame, which track each
 * face went to and who was counted or ended, then the tally.
 */
import { readFileSync } from 'node:fs';
import { parseTrace, replayTrace } from './lib/tracker-trace.ts';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: npx tsx scripts/replay-trace.ts FILE');
  process.exit(2);
}
const { lines, counted } = replayTrace(parseTrace(readFileSync(file, 'utf8')));
for (const line of lines) console.log(line);
const tally = { with_mask: 0, without_mask: 0, uncertain: 0 };
for (const person of counted) tally[person.decision] += 1;
console.log(
  `counted: masked ${tally.with_mask}, unmasked ${tally.without_mask}, uncertain ${tally.uncertain}`,
);
