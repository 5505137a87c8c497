import { diffText } from '~/utils/diff';

/** Shows what changed between two texts: removed words struck through, added words marked. */
export function TextDiff({ before, after }: { before: string; after: string }) {
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
