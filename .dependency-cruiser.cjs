/**
 * Dependency direction checks for src/ (see STYLE.md): domain → ports ← adapters,
 * modules meet only through their module files, providers/ and platform/ stay below modules/.
 * Run with `npm run lint`.
 */

// Matches a resolved path (…node_modules/@nestjs/common/index.js) or, when unresolvable, the bare name.
const FRAMEWORKS = '(^|node_modules/)(@types/)?(@nestjs|@mikro-orm|express|express-serve-static-core)(/|$)';
const ADAPTER_FOLDERS = '/(infrastructure|api)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'This file is part of an import cycle. Break it with a port or by moving the shared part down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-no-frameworks',
      comment: 'domain/ is plain TypeScript: no NestJS, MikroORM or express. Map entities in infrastructure/*.schema.ts.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'domain-no-adapters',
      comment: 'domain/ must not import infrastructure/ or api/ code.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: { path: `^src/.*${ADAPTER_FOLDERS}` },
    },
    {
      name: 'application-no-adapters',
      comment: 'application/ owns the ports; infrastructure/ and api/ depend on it, never the reverse.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/application/' },
      to: { path: `^src/.*${ADAPTER_FOLDERS}` },
    },
    {
      name: 'providers-not-to-modules',
      comment: 'providers/ holds the LLM adapters and their contract; it must not know the modules.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'platform-not-to-modules',
      comment: 'platform/ is the shared kernel; it must not know the modules (app.module.ts wires them).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-other-module-adapters',
      comment: "Modules meet through module exports: import another module's *.module.ts, application/ or domain/, never its infrastructure/ or api/.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: `^src/modules/[^/]+${ADAPTER_FOLDERS}`, pathNot: '^src/modules/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
