/**
 * The catalog item a twin request is about: the number its path names (`/tracks/{{catalog.item}}`
 * → `/tracks/42`), carried to services in `x-backline-item`. The CDN serves it and a `key: item`
 * store reads it, as the simulation keys both by the request's catalog item.
 */

/** At most 15 digits: every such id is an exact (safe) integer. */
const ID = /^\d{1,15}$/;

/** The item a path names (its first all-digit segment), or undefined when it names none. */
export function pathItem(path: string): number | undefined {
  for (const segment of path.split('/')) if (ID.test(segment)) return Number(segment);
  return undefined;
}

/** The item an `x-backline-item` header carries, or undefined when absent or not a plain id. */
export function headerItem(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && ID.test(header) ? Number(header) : undefined;
}
