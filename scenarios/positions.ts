/**
 * Where a value sits in the YAML the author wrote: paths (as zod reports them) → 1-based line and
 * column in the original text.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';

/** A path into the scenario, as zod reports it. */
export type Path = readonly PropertyKey[];

/** The YAML node a path leads to, or how far it got. */
export interface Located {
  /** The node at the deepest segment that exists (the value, or its parent when missing). */
  node: unknown;
  /** The key node of the last mapping step taken, when there was one. */
  key: Node | undefined;
  /** How many segments were found; `path.length` when the whole path exists. */
  depth: number;
}

const keyText = (k: unknown): string | undefined => (isScalar(k) ? String(k.value) : undefined);

/** Follows `path` through the document's mappings and sequences, as far as it exists. */
export function locate(doc: Document, path: Path): Located {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    // Aliases are followed so paths through `*anchor` still resolve; the alias itself is what a
    // caller points at when the path ends there.
    const here = isAlias(node) ? node.resolve(doc) : node;
    const seg = String(path[depth]);
    if (isMap(here)) {
      const pair = here.items.find((p) => keyText(p.key) === seg);
      if (pair === undefined) return { node: here, key, depth };
      key = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(here) && /^\d+$/.test(seg) && Number(seg) < here.items.length) {
      node = here.items[Number(seg)];
      key = undefined;
    } else {
      return { node: here, key, depth };
    }
  }
  return { node, key, depth: path.length };
}

/** Start offset of a node, if it came from the source text (nodes made by `--set` have none). */
export function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
