export * from './frames';
export * from './handler';
