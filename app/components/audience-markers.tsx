/**
 * For the team: who may read a piece of content ("Internal", "Signed-in people", group and
 * organisation names). Public content has no marker.
 */
export function AudienceMarkers({ labels }: { labels: string[] | undefined }) {
  if (!labels?.length) return null;
  return (
    <>
      {labels.map((label) =>
        label === 'Internal' ? (
          <span key={label} className="badge badge-internal" title="Only the team can see this">
            Internal
          </span>
        ) : (
          <span key={label} className="badge badge-restricted" title={`Only for: ${label}`}>
            {label}
          </span>
        ),
      )}
    </>
  );
}
