/** Health-knowledge push (issue 7): pure targeting, channel choice and tip rich text. */
export * from './targeting';
export * from './channel';
export * from './rich-text';
export * from './compliance';
