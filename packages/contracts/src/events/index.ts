export * from './catalogue.ts';
export * from './envelope.ts';
export * from './payloads.ts';
export * from './transport.ts';
export * from './virtual-pet.ts';
