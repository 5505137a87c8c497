// Which licence Stack Exchange distributes content under, for dumps that do not say (every dump
// before 2019 lacks ContentLicense). Source: https://stackoverflow.com/help/licensing —
// contributions before 2011-04-08 (UTC) are CC BY-SA 2.5, from then until before 2018-05-02 (UTC)
// CC BY-SA 3.0, from then on CC BY-SA 4.0. The latest contribution decides, so an edit after a
// boundary carries the newer licence.

const versions = [
  { before: '2011-04-08T00:00:00.000Z', license: 'CC BY-SA 2.5' },
  { before: '2018-05-02T00:00:00.000Z', license: 'CC BY-SA 3.0' },
];
const latestLicense = 'CC BY-SA 4.0';

/**
 * The Community user: it makes automated edits (the 2020 CommonMark migration, link rewrites)
 * that Stack Exchange does not count as contributions — its own dumps keep the older licence on
 * posts whose only later edit is one of these.
 */
export const communityUserId = '-1';

/** The licence of content contributed at an ISO time (UTC, as the rows are parsed). */
export function licenseContributedAt(at: string): string {
  return versions.find((version) => at < version.before)?.license ?? latestLicense;
}

/** The latest of some ISO times (all in the same format, so they sort as text). */
export function latest(first: string, ...others: (string | null | undefined)[]): string {
  let result = first;
  for (const at of others) if (at && at > result) result = at;
  return result;
}
