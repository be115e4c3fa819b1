/**
 * Text the document controls (names, values, URIs) is quoted in messages and paths only cut to
 * a few dozen characters: a hostile document must not make an error as long as itself.
 */
const MAX_QUOTED = 64;

export function clip(text: string, max = MAX_QUOTED): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
