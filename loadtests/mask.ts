/**
 * What a result or report may say about a target: `${env.…}` secret values replaced by `***` and
 * URL credentials (`user:password@`) masked, so result.json, reports and logs never carry them.
 * The one masking function for every load tool (the in-process driver and k6).
 */
import type { Secrets } from './template.js';

const USERINFO = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^@/?#]*)@/;

/** `target` with secret values and URL credentials masked. */
export function maskTarget(target: string, secrets?: Pick<Secrets, 'redact'>): string {
  const redacted = secrets ? secrets.redact(target) : target;
  return redacted.replace(USERINFO, '$1***@');
}
