/** Words for groups, shared by the server and the pages. */

export const joinPolicies = ['closed', 'request'] as const;
export type JoinPolicy = (typeof joinPolicies)[number];

export const joinPolicyLabels: Record<JoinPolicy, string> = {
  closed: 'Closed: admins and managers add people',
  request: 'People may ask to join',
};

/** How someone belongs to a group (the three ways visibility.server.ts counts). */
export type Membership = 'hand' | 'organization' | 'domain';

export const membershipLabels: Record<Membership, string> = {
  hand: 'added by hand',
  organization: 'through the organisation',
  domain: 'by a verified email address',
};

export const joinMessageMaxLength = 1000;
