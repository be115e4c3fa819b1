/**
 * The engine's own copy of a string (V8 internalizes property names): comparing two such
 * strings is comparing two pointers, where a string cut from the document is compared character
 * by character with every schema name it meets. Used once per distinct name or namespace, not
 * per element.
 */
export function intern(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}
