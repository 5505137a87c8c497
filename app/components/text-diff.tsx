import { diffText } from '~/utils/diff';

/**
 * Shows what changed between two texts: removed words struck through, added words marked. With
 * nothing before (an original version), the text is shown as it is.
 */
export function TextDiff({ before, after }: { before: string | null; after: string }) {
  if (before === null) return <div className="diff">{after}</div>;
  return (
    <div className="diff">
      {diffText(before, after).map((part, index) =>
        part.change === 'added' ? (
          <ins key={index}>{part.text}</ins>
        ) : part.change === 'removed' ? (
          <del key={index}>{part.text}</del>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </div>
  );
}
