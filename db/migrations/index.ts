import type { Migration } from 'kysely';
import * as foundation from './2026_11_23_0900_foundation';
import * as community from './2026_11_23_1000_community';
import * as knowledgeBase from './2026_11_23_1100_knowledge_base';
import * as search from './2026_11_23_1200_search';
import * as support from './2026_11_23_1300_support';
import * as imports from './2026_11_23_1400_imports';
import * as ticketNotifications from './2026_11_23_1500_ticket_notifications';
import * as moderation from './2026_11_23_1600_moderation';
import * as analytics from './2026_11_23_1700_analytics';
import * as hardening from './2026_12_05_0900_hardening';
import * as mail from './2026_12_05_1000_mail';
import * as accountTokens from './2026_12_05_1100_account_tokens';
import * as uploads from './2026_12_12_0900_uploads';
import * as pageVersions from './2026_12_12_1000_page_versions';
import * as memberPageVersions from './2026_12_12_1100_member_page_versions';
import * as inboundMail from './2026_12_13_0900_inbound_mail';
import * as emailBounces from './2026_12_13_0910_email_bounces';
import * as mailReplies from './2026_12_14_0900_mail_replies';
import * as sessionDevices from './2026_12_15_0900_session_devices';
import * as twoFactor from './2026_12_16_0900_two_factor';
import * as personApiTokens from './2026_12_16_1000_person_api_tokens';
import * as signInProviders from './2026_12_16_1100_sign_in_providers';
import * as visibility from './2026_12_17_0900_visibility';
import * as searchAudience from './2026_12_17_1000_search_audience';
import * as sla from './2026_12_18_0900_sla';
import * as satisfaction from './2026_12_18_1000_satisfaction';
import * as macros from './2026_12_18_1100_macros';
import * as ticketMerge from './2026_12_18_1200_ticket_merge';
import * as ticketFields from './2026_12_18_1300_ticket_fields';
import * as knownIssues from './2026_12_19_0900_known_issues';
import * as recentAnswers from './2026_12_20_1000_recent_answers';
import * as sitemapVersions from './2026_12_21_0900_sitemap_versions';

/**
 * Every migration, by name. Names sort in the order they run; add each new migration here.
 * (A static list rather than a folder scan, so migrations load the same way under tsx, vitest
 * and bundlers.)
 */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0900_foundation': foundation,
  '2026_11_23_1000_community': community,
  '2026_11_23_1100_knowledge_base': knowledgeBase,
  '2026_11_23_1200_search': search,
  '2026_11_23_1300_support': support,
  '2026_11_23_1400_imports': imports,
  '2026_11_23_1500_ticket_notifications': ticketNotifications,
  '2026_11_23_1600_moderation': moderation,
  '2026_11_23_1700_analytics': analytics,
  '2026_12_05_0900_hardening': hardening,
  '2026_12_05_1000_mail': mail,
  '2026_12_05_1100_account_tokens': accountTokens,
  '2026_12_12_0900_uploads': uploads,
  '2026_12_12_1000_page_versions': pageVersions,
  '2026_12_12_1100_member_page_versions': memberPageVersions,
  '2026_12_13_0900_inbound_mail': inboundMail,
  '2026_12_13_0910_email_bounces': emailBounces,
  '2026_12_14_0900_mail_replies': mailReplies,
  '2026_12_15_0900_session_devices': sessionDevices,
  '2026_12_16_0900_two_factor': twoFactor,
  '2026_12_16_1000_person_api_tokens': personApiTokens,
  '2026_12_16_1100_sign_in_providers': signInProviders,
  '2026_12_17_0900_visibility': visibility,
  '2026_12_17_1000_search_audience': searchAudience,
  '2026_12_18_0900_sla': sla,
  '2026_12_18_1000_satisfaction': satisfaction,
  '2026_12_18_1100_macros': macros,
  '2026_12_18_1200_ticket_merge': ticketMerge,
  '2026_12_18_1300_ticket_fields': ticketFields,
  '2026_12_19_0900_known_issues': knownIssues,
  '2026_12_20_1000_recent_answers': recentAnswers,
  '2026_12_21_0900_sitemap_versions': sitemapVersions,
};
