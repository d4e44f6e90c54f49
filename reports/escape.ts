/**
 * Escaping of scenario-provided text. Every name in a report comes from a scenario file someone
 * else may have written, so nothing is interpolated into HTML, XML or Markdown unescaped.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/XML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * Escapes text for XML 1.0: markup characters, plus the control characters XML cannot carry at
 * all (replaced by U+FFFD so the document still parses).
 */
export function escapeXml(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return escapeHtml(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/**
 * Escapes text for a Markdown table cell: HTML is neutralised (GitHub renders inline HTML), pipes
 * and backticks cannot break the table or open code spans, and newlines become spaces.
 */
export function escapeMarkdown(value: unknown): string {
  return escapeHtml(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]|#])/g, '\\$1');
}
