/**
 * Backlog takes a wiki page's tags from its name: leading `[tag]` groups, e.g. `[spec][api] Login`.
 * The name keeps them, as in Backlog; tags are trimmed, de-duplicated, at most 30 of 100 characters.
 */
export function tagsFromName(name: string): string[] {
  const tags: string[] = [];
  const pattern = /^\s*\[([^\]\n]{1,100})\]/;
  let rest = name;
  for (let match = pattern.exec(rest); match && tags.length < 30; match = pattern.exec(rest)) {
    const tag = (match[1] ?? '').trim();
    if (tag && !tags.includes(tag)) tags.push(tag);
    rest = rest.slice(match[0].length);
  }
  return tags;
}
