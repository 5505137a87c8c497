import type { Migration } from 'kysely';
import * as foundation from './2026_11_23_0900_foundation';
import * as community from './2026_11_23_1000_community';
import * as knowledgeBase from './2026_11_23_1100_knowledge_base';
import * as search from './2026_11_23_1200_search';

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
};
