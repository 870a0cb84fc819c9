/** How policy commands show violations and suspended flows: one line each, with the step's line:column when the file is known. */
import { SourceMap, type PolicyViolation } from '@patchbay/core';
import type { PolicyChange } from '@patchbay/platform';

export function violationLines(
  violations: readonly PolicyViolation[],
  source?: { file: string; text: string },
): string[] {
  const map = source ? new SourceMap(source.text) : undefined;
  return violations.map((v) => {
    const pos = map?.locateValue(v.stepPath);
    const where = source ? `${source.file}${pos ? `:${pos.line}:${pos.column}` : ''} ` : '';
    return `${where}${v.stepPath} ${v.action}: ${v.message}`;
  });
}

export function printChange(change: PolicyChange): void {
  for (const f of change.suspended) {
    process.stdout.write(`suspended  ${f.id}  ${f.environment}  ${f.name}\n`);
    for (const line of violationLines(f.violations)) process.stdout.write(`           ${line}\n`);
  }
  for (const f of change.lifted) process.stdout.write(`lifted     ${f.id}  ${f.environment}  ${f.name}\n`);
}
