/** Reports to fact-checkers (docs/report-format.md): the format, its delivery policy, exports. Pure. */
export * from './format';
export * from './delivery';
export * from './export';
export * from './cluster';
