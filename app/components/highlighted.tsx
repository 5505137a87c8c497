import { Fragment } from 'react';

// Same markers as search/types.ts: the engine marks matches with them instead of HTML.
const start = '\u0001';
const end = '\u0002';

/** Text with search matches in <mark>; everything is rendered as text, never as HTML. */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(start);
  return (
    <>
      {parts.map((part, index) => {
        if (index === 0) return <Fragment key={index}>{part.replaceAll(end, '')}</Fragment>;
        const [marked = '', ...rest] = part.split(end);
        return (
          <Fragment key={index}>
            <mark>{marked}</mark>
            {rest.join('')}
          </Fragment>
        );
      })}
    </>
  );
}

/** The same text without match markers, for places that cannot show <mark>. */
export function plainText(text: string): string {
  return text.replaceAll(start, '').replaceAll(end, '');
}
