import type { Counts, ImportSummary } from './importer';

const number = (value: number) => value.toLocaleString('en');
const counts = (value: Counts) =>
  `${number(value.created + value.updated + value.unchanged)} (${number(value.created)} new, ${number(value.updated)} updated, ${number(value.unchanged)} unchanged)`;

const licenses = ({ stated, derived, derivedByLicense }: ImportSummary['licenses']) => {
  const byLicense = Object.entries(derivedByLicense)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${number(n)}`)
    .join(', ');
  return `${number(stated)} as the dump states them, ${number(derived)} derived from their dates${byLicense ? ` (${byLicense})` : ''}`;
};

/** The closing report of an import, for people. */
export function formatSummary(summary: ImportSummary, maxProblems = 50): string {
  const lines = [
    `Imported ${summary.siteName} (${summary.site}) in ${summary.seconds.toFixed(1)} s: ${number(Math.round(summary.postsPerSecond))} posts/s, peak memory ${Math.round(summary.peakRssBytes / 2 ** 20)} MiB.`,
    `  users            ${counts(summary.users)}; ${number(summary.authorsByName)} more known by name only`,
    `  tags             ${number(summary.tags.created + summary.tags.existing)} (${number(summary.tags.created)} new)`,
    `  questions        ${counts(summary.questions)}`,
    `  answers          ${counts(summary.answers)}`,
    `  accepted answers ${number(summary.acceptedAnswers)}`,
    `  comments         ${counts(summary.comments)}`,
    `  licences         ${licenses(summary.licenses)}`,
    `  duplicates       ${number(summary.duplicates.created + summary.duplicates.existing)} (${number(summary.duplicates.created)} new)`,
    `  related links    ${number(summary.related.created + summary.related.existing)} (${number(summary.related.created)} new)`,
    `  revisions        ${counts(summary.revisions)}`,
  ];
  const votes = Object.entries(summary.votes);
  if (votes.length)
    lines.push(
      `  votes (counted; scores come from Posts.xml) ${votes.map(([type, n]) => `${type} ${number(n)}`).join(', ')}`,
    );
  const skipped = Object.entries(summary.notImported);
  if (skipped.length)
    lines.push(
      `  not imported     ${skipped.map(([kind, n]) => `${kind} ${number(n)}`).join(', ')}`,
    );
  if (summary.problemCount === 0) lines.push('No rows were skipped.');
  else {
    lines.push(`${number(summary.problemCount)} rows were reported and skipped:`);
    for (const entry of summary.problems.slice(0, maxProblems))
      lines.push(
        `  ${entry.file}${entry.line ? `:${entry.line}` : ''} Id ${entry.id ?? '?'}: ${entry.reason}`,
      );
    if (summary.problemCount > maxProblems)
      lines.push(`  … and ${number(summary.problemCount - maxProblems)} more (see import_runs)`);
  }
  return lines.join('\n');
}
