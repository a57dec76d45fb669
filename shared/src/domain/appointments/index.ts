/** Appointments at the signing clinic (issue 6): rota → slots, rota changes, booking rules. Pure. */
export * from './rota';
export * from './reconcile';
export * from './rules';
export * from './services';
export * from './booking';
