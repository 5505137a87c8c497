import type { ScorePart } from '~/models/analytics/gap-scoring';

/** "3 searches found nothing + 2 tickets answered without content × 5": how a score adds up. */
export function ScoreExplanation({ gap }: { gap: { parts: ScorePart[] } }) {
  if (gap.parts.length === 0) return <span className="muted">no evidence in this range</span>;
  return (
    <span className="gap-explanation">
      {gap.parts.map((part, index) => (
        <span key={part.label}>
          {index > 0 ? ' + ' : ''}
          {part.count.toLocaleString('en')} {part.label}
          {part.weight === '1' ? '' : ` × ${part.weight}`}
        </span>
      ))}
    </span>
  );
}
