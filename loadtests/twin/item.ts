/**
 * The catalog item a twin request is about: the segment where its request template puts
 * `{{catalog.item}}` (`/tracks/{{catalog.item}}` → `/tracks/42`; the edge's `pathPattern`), or for
 * a path no template matched its first all-digit segment; carried to services in `x-backline-item`. The CDN serves it and a `key: item`
 * store reads it, as the simulation keys both by the request's catalog item.
 */

/** At most 15 digits: every such id is an exact (safe) integer. */
const ID = /^\d{1,15}$/;

/** The item a path names (its first all-digit segment), or undefined when it names none. */
export function pathItem(path: string): number | undefined {
  for (const segment of path.split('/')) if (ID.test(segment)) return Number(segment);
  return undefined;
}

/** The item a plain id (an `x-backline-item` header, a path segment) names, or undefined when absent or not one. */
export function itemId(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && ID.test(header) ? Number(header) : undefined;
}
