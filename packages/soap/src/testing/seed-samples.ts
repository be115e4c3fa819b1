/**
 * Fixtures that cannot drift from the source documents: each sample fixture is checked against
 * the seed text it was copied from.
 *
 * The one normalisation: a fixture equals its seed sample when both read the same after deleting
 * every whitespace run that contains a line break, and the fixture breaks lines only where the
 * seed does. So a fixture may keep, re-indent or drop the seed's line wraps (dropping one rejoins
 * a token the PDF extraction split: a namespace URI, a base64 value, a tag) and nothing else; a
 * space or tab that is not next to a line break is content and must match. Any other change is a
 * repair: allowed only where the seed's sample is not well-formed, listed in the sample's entry
 * (`from` -> `to`, why) and named in the fixture by a `<!-- REPAIRED: why -->` comment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One listed correction of a seed sample that is not well-formed as printed. */
export interface SeedRepair {
  /** The seed's text (line wraps aside) that was not well-formed. Must occur exactly once. */
  readonly from: string;
  /** What the fixture has in its place (line wraps aside). */
  readonly to: string;
  /** The fixture's `<!-- REPAIRED: ... -->` comment text, word for word. */
  readonly why: string;
}

/** Where a sample fixture was copied from in the seed documents, and how it was repaired. */
export interface SeedSample {
  /** The fixture file name. */
  readonly fixture: string;
  /** The seed file name in the seeds folder, e.g. "004_fbf8a2f1362747d8.txt". */
  readonly seed: string;
  /** First and last line of the sample in the seed (1-based, inclusive). */
  readonly lines: readonly [number, number];
  /** The repairs the fixture makes to the seed's sample; none when it is copied as it is. */
  readonly repairs?: readonly SeedRepair[];
}

/**
 * The folder of the source documents: `KZ_SEEDS_DIR`, else `../shared/seeds` beside the
 * repository (where the project keeps them). Throws, naming both, when neither exists.
 */
export function seedsDir(): string {
  const fromEnv = process.env.KZ_SEEDS_DIR;
  const candidates = fromEnv
    ? [fromEnv]
    : [path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/seeds')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`seed documents not found (looked in ${candidates.join(', ')}; set KZ_SEEDS_DIR)`);
  return found;
}

const seedCache = new Map<string, readonly string[]>();

function seedFileLines(seed: string): readonly string[] {
  let lines = seedCache.get(seed);
  if (!lines) {
    lines = readFileSync(path.join(seedsDir(), seed), 'utf8').split('\n');
    seedCache.set(seed, lines);
  }
  return lines;
}

/** Lines `from`..`to` (1-based, inclusive) of a seed file, joined with "\n". */
export function seedLines(seed: string, from: number, to: number): string {
  const lines = seedFileLines(seed);
  if (from < 1 || to > lines.length || from > to) throw new RangeError(`${seed} has no lines ${from}-${to}`);
  return lines.slice(from - 1, to).join('\n');
}

/**
 * Line numbers (1-based) where an XML sample starts in a seed file: an `<?xml` declaration, or an
 * Envelope start tag not preceded by one.
 */
export function sampleStarts(seed: string): number[] {
  const starts: number[] = [];
  let afterDeclaration = false;
  seedFileLines(seed).forEach((line, index) => {
    const declaration = /^\s*<\?xml\s/.test(line);
    const envelope = /^\s*<([A-Za-z0-9_-]+:)?Envelope[\s>]/.test(line);
    if (declaration || (envelope && !afterDeclaration)) starts.push(index + 1);
    afterDeclaration = declaration;
  });
  return starts;
}

/** Whitespace around a line break, or at the start or end of the text (which are line ends too). */
const LINE_WRAP = /[ \t\r\u00a0]*\n[ \t\r\n\u00a0]*|^[ \t\r\n\u00a0]+|[ \t\r\n\u00a0]+$/g;

/** The text without its line-wrap whitespace, and the offsets (in that text) where wraps were. */
export function withoutLineWraps(text: string): { text: string; wraps: Set<number> } {
  const wraps = new Set<number>();
  let removed = 0;
  const joined = text.replace(LINE_WRAP, (run, offset: number) => {
    wraps.add(offset - removed);
    removed += run.length;
    return '';
  });
  return { text: joined, wraps };
}

const REPAIRED = /<!--\s*REPAIRED:\s*([\s\S]*?)\s*-->\s*/g;

/** The texts of a fixture's `<!-- REPAIRED: ... -->` comments (whitespace runs collapsed). */
export function repairNotes(fixture: string): string[] {
  return [...fixture.matchAll(REPAIRED)].map((m) => collapse(m[1] as string));
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Undefined when the fixture is the seed's sample (line wraps aside) with exactly the listed
 * repairs, each named by a REPAIRED comment; otherwise what differs, where.
 */
export function seedDrift(sample: SeedSample, fixtureText: string): string | undefined {
  const notes = repairNotes(fixtureText);
  const expectedNotes = (sample.repairs ?? []).map((r) => collapse(r.why));
  const unnamed = expectedNotes.filter((n) => !notes.includes(n));
  const unlisted = notes.filter((n) => !expectedNotes.includes(n));
  if (unnamed.length > 0) return `${sample.fixture}: no REPAIRED comment for: ${unnamed.join(' | ')}`;
  if (unlisted.length > 0) return `${sample.fixture}: REPAIRED comment not in the sample's repairs: ${unlisted[0]}`;

  const seed = withoutLineWraps(seedLines(sample.seed, sample.lines[0], sample.lines[1]));
  let expected = seed.text;
  let wraps = seed.wraps;
  /** Spans written by repairs: the fixture may break lines anywhere in them. */
  const repaired: [number, number][] = [];
  for (const repair of sample.repairs ?? []) {
    const from = withoutLineWraps(repair.from).text;
    const to = withoutLineWraps(repair.to).text;
    const at = expected.indexOf(from);
    if (from === '' || at === -1) return `${sample.fixture}: repair "${repair.from}" does not match the seed's text`;
    if (expected.indexOf(from, at + 1) !== -1) return `${sample.fixture}: repair "${repair.from}" matches twice`;
    expected = expected.slice(0, at) + to + expected.slice(at + from.length);
    const delta = to.length - from.length;
    wraps = new Set(
      [...wraps].filter((w) => w <= at || w >= at + from.length).map((w) => (w >= at + from.length ? w + delta : w)),
    );
    for (const span of repaired) {
      if (span[0] >= at + from.length) {
        span[0] += delta;
        span[1] += delta;
      }
    }
    repaired.push([at, at + to.length]);
  }

  const actual = withoutLineWraps(fixtureText.replace(REPAIRED, ''));
  if (actual.text !== expected) {
    let i = 0;
    while (i < actual.text.length && actual.text[i] === expected[i]) i++;
    const context = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 30), i + 30));
    return `${sample.fixture}: differs from ${sample.seed}:${sample.lines[0]}-${sample.lines[1]} at ${context(actual.text)}, seed ${context(expected)}`;
  }
  for (const wrap of actual.wraps) {
    const inRepair = repaired.some(([start, end]) => wrap >= start && wrap <= end);
    if (!wraps.has(wrap) && !inRepair && wrap !== 0 && wrap !== actual.text.length) {
      return `${sample.fixture}: breaks a line where the seed does not, at ${JSON.stringify(actual.text.slice(Math.max(0, wrap - 30), wrap + 30))}`;
    }
  }
  return undefined;
}
