/**
 * Kubernetes manifest pieces shared by the k6-operator TestRun and the sweep's Indexed Job: safe
 * object names, a ConfigMap of files, and env values that Kubernetes will not expand by surprise.
 * Every string goes through the YAML serializer (never pasted into YAML text), so quotes, newlines
 * and `#` stay data.
 */
import { UsageError } from '../../results/errors.js';

/** ConfigMaps are limited to 1 MiB of data (Kubernetes rejects larger ones). */
export const CONFIGMAP_LIMIT = 1024 * 1024;

/**
 * A Kubernetes-safe name (RFC 1123 label: lowercase letters, digits, `-`, starting and ending
 * alphanumeric), at most `max` characters so derived names (`<name>-<index>`, `<name>-service-<i>`)
 * stay within 63.
 */
export function k8sName(s: string, max = 40): string {
  const clean = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return clean || 'backline';
}

/** Object metadata with an optional namespace (validated as a name). */
export function meta(name: string, namespace?: string): { name: string; namespace?: string } {
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))
    throw new UsageError(
      `--namespace \`${namespace}\` is not a Kubernetes name (lowercase letters, digits, -)`,
    );
  return { name, ...(namespace ? { namespace } : {}) };
}

/** A ConfigMap holding `files` (key → text); refuses bad keys and more than 1 MiB. */
export function configMap(name: string, files: Record<string, string>, namespace?: string) {
  let bytes = 0;
  for (const [k, v] of Object.entries(files)) {
    if (!/^[-._a-zA-Z0-9]{1,253}$/.test(k) || k === '.' || k === '..')
      throw new UsageError(`\`${k}\` cannot be a ConfigMap key (letters, digits, -, _ and . only)`);
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (bytes > CONFIGMAP_LIMIT)
    throw new UsageError(
      `the ConfigMap ${name} would hold ${bytes} bytes; Kubernetes allows ${CONFIGMAP_LIMIT} (put large feeds on a volume)`,
    );
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, namespace), data: { ...files } };
}

/** A literal env value: `$(` would be expanded by Kubernetes, `$$(` keeps it literal. */
export function envLiteral(value: string): string {
  return value.replace(/\$\(/g, '$$$$(');
}
