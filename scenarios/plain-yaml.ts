/**
 * Warnings for scenario text that backline reads but other YAML tools do not: an unquoted call such
 * as `time: lognormal(median: 2ms, p99: 12ms)` is rejected by PyYAML and yaml-language-server
 * (`: ` starts a nested mapping) and split at its commas inside `{ … }`. The loader quotes such calls
 * itself; `validate` says where and how to write them so every tool reads the file.
 */
import { LineCounter } from 'yaml';
import { quoteCalls } from './yaml-calls.js';

/** One `file:line:col  message` warning per unquoted call that plain YAML would misread. */
export function plainYamlWarnings(text: string, file: string): string[] {
  const { misread } = quoteCalls(text);
  if (misread.length === 0) return [];
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return misread.map((call) => {
    const { line, col } = lines.linePos(call.start);
    return `${file}:${line}:${col}  unquoted call \`${call.text}\` is not plain YAML (PyYAML and yaml-language-server reject it); quote it: '${call.text.replaceAll("'", "''")}'`;
  });
}
