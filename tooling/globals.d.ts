/** The publishing package's version, injected at build time by tooling/tsup.ts and in tests by tooling/vitest.ts. */
declare const __PACKAGE_VERSION__: string;
