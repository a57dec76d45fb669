/**
 * Every key of the single table is built here and nowhere else. The access patterns each key
 * serves are listed in docs/table-design.md. Composite parts are joined with '#'.
 */
export const keys = {
  health: () => ({ pk: 'HEALTH', sk: 'HEALTH' }),
} as const;

export type Keys = typeof keys;
